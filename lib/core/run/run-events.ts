import * as z from 'zod';
import type { RunRecord, StepState } from './run.ts';

/** Every transition Flotilla publishes: the run's and each step's. */
export const RunEventName = z.enum([
  'run.started',
  /** A run of `workflow rollback`: it starts the older revision again. */
  'run.rolled-back',
  'run.suspended',
  'run.resumed',
  'run.succeeded',
  'run.failed',
  'run.terminated',
  'step.started',
  /** A wave of a deploy step's `rollout` finished healthy (docs/rollout.md); the message names the wave and its clusters. */
  'step.wave-healthy',
  'step.suspended',
  'step.resumed',
  'step.succeeded',
  'step.failed',
  'step.skipped',
]);
export type RunEventName = z.infer<typeof RunEventName>;

/** One transition: the `detail` of the EventBridge event, and an entry of `flotilla status`'s history. */
export const RunEvent = z.object({
  event: RunEventName,
  at: z.iso.datetime(),
  namespace: z.string().min(1),
  application: z.string().min(1),
  runId: z.string().min(1),
  /** `<app>-v<N>`. */
  revision: z.string().min(1),
  /** For step events: the step. */
  step: z.object({ name: z.string().min(1), type: z.string().min(1) }).optional(),
  /** Why: a failed step's reason, a run's message. */
  message: z.string().optional(),
});
export type RunEvent = z.infer<typeof RunEvent>;

/** The history entries a run keeps (the newest); status shows them. */
export const RunHistoryEntry = RunEvent.pick({ event: true, at: true, step: true, message: true });
export type RunHistoryEntry = z.infer<typeof RunHistoryEntry>;
export const runHistoryLimit = 20;

const stepEvent: Partial<Record<StepState['phase'], RunEventName>> = {
  running: 'step.started',
  suspending: 'step.suspended',
  succeeded: 'step.succeeded',
  failed: 'step.failed',
  skipped: 'step.skipped',
};

const runEvent: Partial<Record<RunRecord['phase'], RunEventName>> = {
  suspended: 'run.suspended',
  succeeded: 'run.succeeded',
  failed: 'run.failed',
  terminated: 'run.terminated',
};

/**
 * The transitions from `before` to `after` (before undefined: the run was just created), steps first, in step
 * order, then the run's. A suspended step that runs or succeeds was resumed; so was a run that goes on from `suspended`.
 */
export function runTransitions(before: RunRecord | undefined, after: RunRecord, options: { rollback?: boolean } = {}): RunEvent[] {
  const common = { namespace: after.namespace, application: after.application, runId: after.runId, revision: after.revisionName };
  const at = after.updatedAt;
  const events: RunEvent[] = [];
  if (before === undefined) events.push({ ...common, event: options.rollback ? 'run.rolled-back' : 'run.started', at });
  for (const step of after.steps) {
    const previous = before?.steps.find((s) => s.id === step.id);
    for (const message of healthyWaves(previous, step)) events.push({ ...common, event: 'step.wave-healthy', at, step: { name: step.name, type: step.type }, message });
    const was = previous?.phase ?? 'pending';
    if (was === step.phase) continue;
    const about = { step: { name: step.name, type: step.type }, ...(step.message ? { message: step.message } : {}) };
    if (was === 'suspending' && step.phase === 'running') {
      events.push({ ...common, event: 'step.resumed', at, step: about.step });
      continue;
    }
    if (was === 'suspending' && step.phase === 'succeeded') events.push({ ...common, event: 'step.resumed', at, step: about.step });
    const name = stepEvent[step.phase];
    if (name !== undefined) events.push({ ...common, event: name, at, ...about });
  }
  if (before !== undefined && before.phase !== after.phase) {
    // Leaving `suspended` by a resume goes on running (or, with nothing left, succeeds); a terminate is no resume.
    if (before.phase === 'suspended' && (after.phase === 'running' || after.phase === 'succeeded')) events.push({ ...common, event: 'run.resumed', at });
    const name = runEvent[after.phase];
    if (name !== undefined) events.push({ ...common, event: name, at, ...(after.message ? { message: after.message } : {}) });
  }
  return events;
}

/** `wave 1 of 3 healthy (us-west-1)` for each wave of the step's rollout that became healthy; none for a plain parallelism. */
function healthyWaves(before: StepState | undefined, after: StepState): string[] {
  const rollout = after.rollout;
  if (!rollout || rollout.parallelismOnly) return [];
  return rollout.waves.flatMap((wave, index) =>
    wave.phase === 'healthy' && before?.rollout?.waves[index]?.phase !== 'healthy' ? [`wave ${index + 1} of ${rollout.waves.length} healthy (${wave.clusters.join(', ')})`] : [],
  );
}

/** The run with `events` added to its history, keeping the newest `runHistoryLimit`. */
export function withHistory(run: RunRecord, events: readonly RunEvent[]): RunRecord {
  if (events.length === 0) return run;
  const entries = events.map(({ event, at, step, message }) => ({ event, at, ...(step ? { step } : {}), ...(message !== undefined ? { message } : {}) }));
  return { ...run, history: [...(run.history ?? []), ...entries].slice(-runHistoryLimit) };
}
