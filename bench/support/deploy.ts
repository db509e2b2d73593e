// Submitting an Application the way the API does (admission, revision, run request) and waiting for its targets.
import { setTimeout as sleep } from 'node:timers/promises';
import { applicationFromObject } from '../../lib/core/admission/parse-application.ts';
import { runRequest } from '../../lib/engine/messages/planner-message.ts';
import type { Store } from '../../lib/engine/ports/store.ts';
import type { WorkQueues } from '../../lib/engine/ports/work-queues.ts';
import type { TargetRecord } from '../../lib/core/run/target.ts';

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
  /** Targets of the newest run by phase. */
  succeeded: number;
  failed: number;
  total: number;
  runFinished: boolean;
  runPhase: string | undefined;
  /** ms from `startedAt` to the moment every expected target had succeeded (or the run finished); undefined if not by the cap. */
  doneMs: number | undefined;
}

/**
 * Polls the store until the newest run finished (`until: 'run'`) or `expected` targets succeeded (`until: 'targets'`;
 * a finished run ends the wait too), or `giveUpMs` passed. Each poll is
 * one run query and one target query, in this process: its cost is part of what the benchmark measures, so the
 * interval is kept coarse where targets are many.
 */
export async function waitForTargets(
  store: Store,
  app: { namespace: string; name: string },
  options: { until: 'run' | 'targets'; expected: number; startedAt: number; pollMs: number; giveUpMs?: number; onPoll?: (progress: Progress) => void },
): Promise<Progress> {
  let progress: Progress = { succeeded: 0, failed: 0, total: 0, runFinished: false, runPhase: undefined, doneMs: undefined };
  for (;;) {
    const [run] = await store.runs.listForApplication(app.namespace, app.name);
    const targets: TargetRecord[] = run ? await store.targets.listForRun(run.runId) : [];
    const runFinished = run !== undefined && run.phase !== 'running' && run.phase !== 'suspended';
    progress = {
      succeeded: targets.filter((t) => t.phase === 'succeeded').length,
      failed: targets.filter((t) => t.phase === 'failed').length,
      total: targets.length,
      runFinished,
      runPhase: run?.phase,
      doneMs: undefined,
    };
    options.onPoll?.(progress);
    if (runFinished || (options.until === 'targets' && progress.succeeded >= options.expected)) return { ...progress, doneMs: performance.now() - options.startedAt };
    if (options.giveUpMs !== undefined && performance.now() - options.startedAt > options.giveUpMs) return progress;
    await sleep(options.pollMs);
  }
}
