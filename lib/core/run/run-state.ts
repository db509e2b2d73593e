import type { RunRecord, StepState } from './run.ts';
import type { StepTally } from './target.ts';
import type { WorkflowMode } from '../workflow/workflow-plan.ts';
import { conditionHolds, type StepCondition } from '../workflow/step-condition.ts';
import { isOutboundStepType } from '../workflow/notification-step.ts';

/** What the workflow says about a step, beyond its recorded state. */
export interface StepRules {
  dependsOn: string[];
  /** Deploy steps: the step's own timeout or the default. */
  timeoutSeconds: number;
  /** Suspend steps with `duration`: resume by themselves after this long. */
  durationSeconds?: number;
  /** Suspend steps: the `message` shown while they wait. */
  suspendMessage?: string;
  /** The step's `if`. */
  condition?: StepCondition;
}

export interface RunFacts {
  run: RunRecord;
  mode: WorkflowMode;
  rules: ReadonlyMap<string, StepRules>;
  /** Fan-in records of the deploy steps that have registered their targets. */
  tallies: ReadonlyMap<string, StepTally>;
  /** Messages of failed targets, per step, for the step's own message. */
  failures: ReadonlyMap<string, string[]>;
  now: Date;
}

export interface RunDecision {
  run: RunRecord;
  /** Deploy steps to start now (placements, targets, apply orders), and notification and webhook steps (their post is queued). */
  start: StepState[];
  /** Running deploy steps past their deadline with targets still open: those targets fail. */
  expired: StepState[];
  /** Running deploy steps whose targets were never registered (placement retry, or a crash): plan them again. */
  replan: StepState[];
  /** When to look again without being told (deadlines, suspend durations). */
  wakeAt: Date[];
  changed: boolean;
}

const seconds = (n: number) => n * 1000;

/** The rules the run recorded for its steps when it started; undefined for runs recorded before they were kept. */
export function recordedRules(run: RunRecord): Map<string, StepRules> | undefined {
  if (!run.steps.every((step) => step.timeoutSeconds !== undefined)) return undefined;
  return new Map(
    run.steps.map((step) => [
      step.name,
      {
        dependsOn: step.dependsOn ?? [],
        timeoutSeconds: step.timeoutSeconds!,
        ...(step.durationSeconds !== undefined ? { durationSeconds: step.durationSeconds } : {}),
        ...(step.suspendMessage !== undefined ? { suspendMessage: step.suspendMessage } : {}),
        ...(step.condition !== undefined ? { condition: step.condition } : {}),
      },
    ]),
  );
}

/**
 * When a step times out: its timeout after its start, not counting the time it spent suspended (waiting for approval
 * or a resume), which a human decides and KubeVela does not count either. While suspended, a step has no deadline:
 * the planner never judges a suspending deploy step, so a suspended run waits for `resume` or `terminate`.
 */
export function deadlineOf(step: StepState, rules: StepRules | undefined, fallbackSeconds: number): Date {
  const started = step.startedAt ? Date.parse(step.startedAt) : 0;
  return new Date(started + seconds((rules?.timeoutSeconds ?? fallbackSeconds) + (step.suspendedSeconds ?? 0)));
}

/** A running step being suspended: it notes since when, so its resume can move its deadline out by that time. */
export function suspendedStep(step: StepState, now: Date): StepState {
  return { ...step, phase: 'suspending', suspendedAt: step.suspendedAt ?? now.toISOString() };
}

/**
 * A suspended deploy step running again: the time it was suspended is added to `suspendedSeconds` (its deadline moves
 * out by as much), and a rollout's running wave has its start moved as well, so its waveTimeout does not count it.
 */
export function resumedStep(step: StepState, now: Date): StepState {
  const { suspendedAt, ...rest } = step;
  const pausedMs = suspendedAt === undefined ? 0 : Math.max(0, now.getTime() - Date.parse(suspendedAt));
  const resumed: StepState = { ...rest, phase: 'running' };
  if (pausedMs === 0) return resumed;
  resumed.suspendedSeconds = (step.suspendedSeconds ?? 0) + pausedMs / 1000;
  if (step.rollout) {
    const shift = (at: string) => new Date(Date.parse(at) + pausedMs).toISOString();
    resumed.rollout = { ...step.rollout, waves: step.rollout.waves.map((wave) => (wave.phase === 'running' && wave.startedAt !== undefined ? { ...wave, startedAt: shift(wave.startedAt) } : wave)) };
  }
  return resumed;
}

/**
 * The pure heart of the planner: given a run and the facts gathered about it, the run's next state and the work that
 * follows. StepByStep starts one step after another; DAG starts every step whose dependsOn steps have succeeded. A
 * failed step fails the run and the steps not started are skipped.
 */
export function decideRun(facts: RunFacts): RunDecision {
  const { run, now } = facts;
  const at = now.toISOString();
  const decision: RunDecision = { run, start: [], expired: [], replan: [], wakeAt: [], changed: false };
  if (run.phase !== 'running' && run.phase !== 'suspended') return decision;

  const steps = run.steps.map((step) => ({ ...step }));
  for (const step of steps) {
    const rules = facts.rules.get(step.name);
    if (step.type === 'suspend' && step.phase === 'suspending' && rules?.durationSeconds !== undefined) {
      const resumeAt = new Date(Date.parse(step.startedAt ?? at) + seconds(rules.durationSeconds));
      if (resumeAt <= now) Object.assign(step, { phase: 'succeeded', finishedAt: at });
      else decision.wakeAt.push(resumeAt);
    }
    if (isOutboundStepType(step.type) && step.phase === 'running') {
      // The post's outcome arrives as a `delivered` message; a step that never hears back ends at its deadline, and
      // either way it succeeds: a notification that cannot be delivered never fails the run, its message says why.
      const deadline = deadlineOf(step, rules, 0);
      if (deadline <= now) Object.assign(step, { phase: 'succeeded', finishedAt: at, message: `not delivered: no answer within ${rules?.timeoutSeconds}s` });
      else decision.wakeAt.push(deadline);
      continue;
    }
    if (step.type !== 'deploy' || step.phase !== 'running') continue;
    const tally = facts.tallies.get(step.id);
    const deadline = deadlineOf(step, rules, 0);
    if (tally && tally.finished.size >= tally.expected) {
      const failed = tally.failed.size > 0;
      const messages = facts.failures.get(step.id) ?? [];
      Object.assign(step, { phase: failed ? 'failed' : 'succeeded', message: failed ? messages.join('; ') : '', finishedAt: at });
    } else if (deadline <= now) {
      if (tally) decision.expired.push(step);
      else Object.assign(step, { phase: 'failed', finishedAt: at, message: `timed out after ${rules?.timeoutSeconds}s: ${step.message ?? 'no placement'}` });
    } else {
      if (!tally) decision.replan.push(step);
      decision.wakeAt.push(deadline);
    }
  }

  const next: RunRecord = { ...run, steps };
  const failedSteps = () => steps.filter((s) => s.phase === 'failed');
  if (failedSteps().length > 0 && facts.mode === 'DAG') {
    for (const step of steps) if (step.phase === 'pending') step.phase = 'skipped';
  }
  for (const step of readySteps(steps, facts.mode, facts.rules)) {
    // A suspend step says why it waits, with its own `message` (KubeVela shows it in the step's status).
    const message = step.type === 'suspend' ? facts.rules.get(step.name)?.suspendMessage : undefined;
    Object.assign(step, { phase: step.type === 'suspend' ? 'suspending' : 'running', startedAt: at, message });
    if (step.type === 'deploy' || isOutboundStepType(step.type)) {
      decision.start.push(step);
      // The planner owns the deadline from the moment the step starts: it looks again then, whatever happens to
      // the appliers' messages.
      decision.wakeAt.push(deadlineOf(step, facts.rules.get(step.name), 0));
    }
    const duration = facts.rules.get(step.name)?.durationSeconds;
    if (step.type === 'suspend' && duration !== undefined) decision.wakeAt.push(new Date(now.getTime() + seconds(duration)));
  }
  // DAG: a failed step fails the run at once, as before conditions existed (its other steps' orders are then dropped).
  // StepByStep: only after the steps that run after the failure (their `if` holds) are done.
  const open = steps.some((step) => step.phase === 'running' || step.phase === 'suspending' || step.phase === 'pending');
  if (open && !(facts.mode === 'DAG' && failedSteps().length > 0)) {
    next.phase = steps.some((step) => step.phase === 'suspending') ? 'suspended' : 'running';
  } else if (failedSteps().length > 0) {
    next.phase = 'failed';
    next.message = failedSteps().map((s) => `step ${s.name} failed`).join('; ');
  } else {
    next.phase = 'succeeded';
    next.message = undefined;
  }
  decision.changed = JSON.stringify(next) !== JSON.stringify(run);
  decision.run = decision.changed ? { ...next, updatedAt: at } : run;
  return decision;
}

/**
 * The steps to start now. StepByStep: the first pending step once no step is busy; a step whose `if` does not hold
 * (without one: an earlier step failed) or whose dependsOn did not succeed is skipped and the next one is looked at.
 * DAG: every pending step whose dependsOn steps have succeeded (after a failure none are left pending).
 */
function readySteps(steps: StepState[], mode: WorkflowMode, rules: ReadonlyMap<string, StepRules>): StepState[] {
  const succeeded = new Set(steps.filter((s) => s.phase === 'succeeded').map((s) => s.name));
  const pending = steps.filter((s) => s.phase === 'pending');
  if (mode === 'StepByStep') {
    const busy = steps.some((s) => s.phase === 'running' || s.phase === 'suspending');
    if (busy) return [];
    for (const step of pending) {
      const phases = new Map(steps.map((s) => [s.name, s.phase]));
      const anyFailed = steps.some((s) => s.phase === 'failed');
      const stepRules = rules.get(step.name);
      const depsMet = (stepRules?.dependsOn ?? []).every((d) => succeeded.has(d));
      if (depsMet && conditionHolds(stepRules?.condition, phases, anyFailed)) return [step];
      step.phase = 'skipped';
    }
    return [];
  }
  return pending.filter((step) => (rules.get(step.name)?.dependsOn ?? []).every((d) => succeeded.has(d)));
}

/** Running and suspending steps fail with reason Terminate, as `vela workflow terminate` does. */
export function terminated(run: RunRecord, message: string, now: Date): RunRecord {
  const at = now.toISOString();
  return {
    ...run,
    phase: 'terminated',
    message,
    steps: run.steps.map((step) =>
      step.phase === 'running' || step.phase === 'suspending' ? { ...step, phase: 'failed', message, finishedAt: at } : step,
    ),
    updatedAt: at,
  };
}
