// Submitting an Application the way the API does (admission, revision, run request) and waiting for its targets.
import { setTimeout as sleep } from 'node:timers/promises';
import { applicationFromObject } from '../../lib/core/admission/parse-application.ts';
import { runRequest } from '../../lib/engine/messages/planner-message.ts';
import type { Store } from '../../lib/engine/ports/store.ts';
import type { WorkQueues } from '../../lib/engine/ports/work-queues.ts';

export interface ApplicationDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string } & Record<string, unknown>;
  spec: Record<string, unknown>;
}

export async function submit(store: Store, queues: WorkQueues, document: ApplicationDocument): Promise<void> {
  const submitted = await store.applications.submit(applicationFromObject(document));
  const { namespace, name } = document.metadata;
  await queues.toPlanner([runRequest({ namespace, name, revision: submitted.revision.revision, reason: 'submit' }, new Date())]);
}

export interface Progress {
  /** The first step's tally: targets finished well, finished failed, expected (0 until the step recorded them). */
  succeeded: number;
  failed: number;
  total: number;
  runFinished: boolean;
  runPhase: string | undefined;
  /** ms from `startedAt` to the moment every expected target had succeeded (or the run finished); undefined if not by the cap. */
  doneMs: number | undefined;
  /** Polls the backend failed (timed out) on. */
  failedPolls: number;
}

/**
 * Polls the store until the newest run finished (`until: 'run'`) or `expected` targets succeeded (`until: 'targets'`;
 * a finished run ends the wait too), or `giveUpMs` passed. Each poll reads the run (one query) and its first step's
 * tally (one item), in this process: cheap whatever the number of targets, since its cost is part of what the
 * benchmark measures. A poll the backend times out on is counted and repeated.
 */
export async function waitForTargets(
  store: Store,
  app: { namespace: string; name: string },
  options: { until: 'run' | 'targets'; expected: number; startedAt: number; pollMs: number; giveUpMs?: number; onPoll?: (progress: Progress) => void },
): Promise<Progress> {
  let progress: Progress = { succeeded: 0, failed: 0, total: 0, runFinished: false, runPhase: undefined, doneMs: undefined, failedPolls: 0 };
  for (;;) {
    try {
      const [run] = await store.runs.listForApplication(app.namespace, app.name);
      const step = run?.steps[0];
      const tally = run && step ? await store.targets.tally(run.runId, step.id) : undefined;
      const runFinished = run !== undefined && run.phase !== 'running' && run.phase !== 'suspended';
      const failed = tally?.failed.size ?? 0;
      progress = {
        ...progress,
        succeeded: (tally?.finished.size ?? 0) - failed,
        failed,
        total: tally?.expected ?? 0,
        runFinished,
        runPhase: run?.phase,
      };
    } catch (err) {
      progress = { ...progress, failedPolls: progress.failedPolls + 1 };
      console.error(`a progress poll failed (${err instanceof Error ? err.message : String(err)}); polling again`);
    }
    options.onPoll?.(progress);
    if (progress.runFinished || (options.until === 'targets' && progress.succeeded >= options.expected)) return { ...progress, doneMs: performance.now() - options.startedAt };
    if (options.giveUpMs !== undefined && performance.now() - options.startedAt > options.giveUpMs) return progress;
    await sleep(options.pollMs);
  }
}
