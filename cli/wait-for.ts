import type { ApplicationStatus } from '../lib/core/status/application-status.ts';
import { ApiRequestError, ApiUnreachableError, type ApiClient } from './client/api-client.ts';
import { formatDuration } from './durations.ts';
import type { ProgressOutput } from './output/progress-output.ts';
import { assessRevision, type ProgressLine } from './output/wait-progress.ts';

export interface Clock {
  now(): number;
  sleep(milliseconds: number): Promise<void>;
}

export interface WaitOptions {
  client: Pick<ApiClient, 'status'>;
  namespace: string;
  name: string;
  timeoutMs: number;
  intervalMs: number;
  clock: Clock;
  progress: ProgressOutput;
}

export type RevisionOutcome = { outcome: 'succeeded'; status: ApplicationStatus } | { outcome: 'failed'; message: string };

/**
 * `up --wait`: reads the status until the run of `revision` has finished, showing each poll's picture, and says how it
 * ended: succeeded, failed (the failing step's message), or out of time (what it was still waiting for). The API
 * being briefly unreachable is shown and retried until the deadline.
 */
export async function waitForRevision(options: WaitOptions & { revision: string }): Promise<RevisionOutcome> {
  const { client, clock, progress, revision } = options;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  let lines: ProgressLine[] = [];
  for (;;) {
    let settled: RevisionOutcome | undefined;
    try {
      const status = await client.status(options.namespace, options.name);
      const assessment = assessRevision(status, revision);
      lines = assessment.lines;
      if (assessment.outcome === 'succeeded') settled = { outcome: 'succeeded', status };
      if (assessment.outcome === 'failed') settled = { outcome: 'failed', message: assessment.message };
    } catch (err) {
      if (!(err instanceof ApiUnreachableError)) throw err;
      lines = [...lines.filter((line) => line.key !== 'retry'), { key: 'retry', text: `retrying: ${err.message}`, state: 'paused' }];
    }
    const elapsedMs = clock.now() - started;
    if (settled !== undefined) {
      progress.end(lines, elapsedMs, settled.outcome);
      return settled;
    }
    if (clock.now() >= deadline) {
      progress.end(lines, elapsedMs, 'failed');
      const pending = lines.filter((line) => line.key !== 'app' && line.state !== 'done').map((line) => line.text);
      const first = lines.find((line) => line.key === 'app')?.text ?? revision;
      return { outcome: 'failed', message: `timed out after ${formatDuration(options.timeoutMs)} waiting for ${[first, ...pending].join('; ')}` };
    }
    progress.show(lines, elapsedMs);
    await clock.sleep(Math.max(0, Math.min(options.intervalMs, deadline - clock.now())));
  }
}

export type DeletionOutcome = { outcome: 'deleted' } | { outcome: 'failed'; message: string };

/** `delete --wait`: reads the status until the application is gone (404), or the time is up. */
export async function waitForDeletion(options: WaitOptions): Promise<DeletionOutcome> {
  const { client, clock, progress, name } = options;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  let lines: ProgressLine[] = [];
  for (;;) {
    try {
      const status = await client.status(options.namespace, name);
      lines = [{ key: 'app', text: `${name}: ${status.about.status}`, state: 'active' }];
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === 'application_not_found') {
        progress.end([{ key: 'app', text: `${name}: deleted`, state: 'done' }], clock.now() - started, 'succeeded');
        return { outcome: 'deleted' };
      }
      if (!(err instanceof ApiUnreachableError)) throw err;
      lines = [{ key: 'app', text: `${name}: retrying: ${err.message}`, state: 'paused' }];
    }
    if (clock.now() >= deadline) {
      progress.end(lines, clock.now() - started, 'failed');
      return { outcome: 'failed', message: `timed out after ${formatDuration(options.timeoutMs)} waiting for ${name} to be deleted (${lines[0]?.text ?? name})` };
    }
    progress.show(lines, clock.now() - started);
    await clock.sleep(Math.max(0, Math.min(options.intervalMs, deadline - clock.now())));
  }
}
