import type { RunRecord, StepState } from '../../core/run/run.ts';
import type { Engine } from '../context.ts';
import { millisecondsBetween, runLogFields } from '../ports/telemetry.ts';
import { runTransitions, withHistory, type RunEvent } from '../../core/run/run-events.ts';
import { queueTargetNotification } from './notify-target.ts';

const finishedRun = new Set<RunRecord['phase']>(['succeeded', 'failed', 'terminated']);
const finishedStep = new Set<StepState['phase']>(['succeeded', 'failed', 'skipped']);

/**
 * The planner's one way to write a run it read: the versioned replace, with the transitions added to the run's
 * history, then what changed is logged, counted (steps started and closed, the run closed) and published. Only a write
 * that won reports, so a retried conflict is never counted or published twice.
 */
export async function replaceRun(engine: Engine, before: RunRecord, next: RunRecord): Promise<RunRecord> {
  const events = runTransitions(before, next);
  const written = await engine.store.runs.replace(withHistory(next, events), before.version);
  reportRunChange(engine, before, written);
  await publishRunEvents(engine, events);
  return written;
}

/** Best-effort: the transition is written already, and a bus that is down must not stop the run moving on. */
export async function publishRunEvents(engine: Engine, events: readonly RunEvent[]): Promise<void> {
  if (events.length === 0) return;
  const first = events[0]!;
  const fields = { runId: first.runId, namespace: first.namespace, application: first.application, events: events.length };
  try {
    await engine.events.publish(events);
  } catch (error) {
    engine.telemetry.log('warn', 'run events not published', { ...fields, reason: error instanceof Error ? error.message : String(error) });
  }
  try {
    await queueTargetNotification(engine, events);
  } catch (error) {
    engine.telemetry.log('warn', 'run events not queued for the notification target', { ...fields, reason: error instanceof Error ? error.message : String(error) });
  }
}

export function reportRunChange(engine: Engine, before: RunRecord | undefined, after: RunRecord): void {
  const { telemetry } = engine;
  for (const step of after.steps) {
    const was = before?.steps.find((s) => s.id === step.id)?.phase;
    if (was === step.phase) continue;
    const fields = runLogFields(after, step);
    if (step.phase === 'running' && was !== 'suspending') telemetry.log('info', `step ${step.name} started`, fields);
    if (!finishedStep.has(step.phase) || (was !== undefined && finishedStep.has(was))) continue;
    const dimensions = { stepType: step.type, outcome: step.phase };
    telemetry.count('StepFinished', dimensions);
    const ms = step.startedAt !== undefined && step.finishedAt !== undefined ? millisecondsBetween(step.startedAt, step.finishedAt) : undefined;
    if (ms !== undefined) telemetry.duration('StepDuration', dimensions, ms);
    telemetry.log(step.phase === 'failed' ? 'warn' : 'info', `step ${step.name} ${step.phase}`, { ...fields, ms, ...(step.message ? { reason: step.message } : {}) });
  }
  if (!finishedRun.has(after.phase) || (before !== undefined && finishedRun.has(before.phase))) return;
  const ms = millisecondsBetween(after.createdAt, after.updatedAt);
  telemetry.count('RunFinished', { outcome: after.phase });
  telemetry.duration('RunDuration', { outcome: after.phase }, ms);
  telemetry.log(after.phase === 'failed' ? 'warn' : 'info', `run ${after.phase}`, { ...runLogFields(after), ms, ...(after.message ? { reason: after.message } : {}) });
}
