import type { RunRecord, StepState } from './run.ts';
import type { StepTally } from './target.ts';
import type { WorkflowMode } from '../workflow/workflow-plan.ts';

/** What the workflow says about a step, beyond its recorded state. */
export interface StepRules {
  dependsOn: string[];
  /** Deploy steps: the step's own timeout or the default. */
  timeoutSeconds: number;
  /** Suspend steps with `duration`: resume by themselves after this long. */
  durationSeconds?: number;
  /** Suspend steps: the `message` shown while they wait. */
  suspendMessage?: string;
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
  /** Deploy steps to start now (placements, targets, apply orders). */
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
      },
    ]),
  );
}

export function deadlineOf(step: StepState, rules: StepRules | undefined, fallbackSeconds: number): Date {
  const started = step.startedAt ? Date.parse(step.startedAt) : 0;
  return new Date(started + seconds(rules?.timeoutSeconds ?? fallbackSeconds));
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
  if (steps.some((step) => step.phase === 'failed')) {
    next.phase = 'failed';
    next.message = steps.filter((s) => s.phase === 'failed').map((s) => `step ${s.name} failed`).join('; ');
    for (const step of steps) if (step.phase === 'pending') step.phase = 'skipped';
  } else {
    for (const step of readySteps(steps, facts.mode, facts.rules)) {
      // A suspend step says why it waits, with its own `message` (KubeVela shows it in the step's status).
      const message = step.type === 'suspend' ? facts.rules.get(step.name)?.suspendMessage : undefined;
      Object.assign(step, { phase: step.type === 'suspend' ? 'suspending' : 'running', startedAt: at, message });
      if (step.type === 'deploy') {
        decision.start.push(step);
        // The planner owns the deadline from the moment the step starts: it looks again then, whatever happens to
        // the appliers' messages.
        decision.wakeAt.push(deadlineOf(step, facts.rules.get(step.name), 0));
      }
      const duration = facts.rules.get(step.name)?.durationSeconds;
      if (step.type === 'suspend' && duration !== undefined) decision.wakeAt.push(new Date(now.getTime() + seconds(duration)));
    }
    if (steps.every((step) => step.phase === 'succeeded' || step.phase === 'skipped')) {
      next.phase = 'succeeded';
      next.message = undefined;
    } else {
      next.phase = steps.some((step) => step.phase === 'suspending') ? 'suspended' : 'running';
    }
  }
  decision.changed = JSON.stringify(next) !== JSON.stringify(run);
  decision.run = decision.changed ? { ...next, updatedAt: at } : run;
  return decision;
}

function readySteps(steps: StepState[], mode: WorkflowMode, rules: ReadonlyMap<string, StepRules>): StepState[] {
  const succeeded = new Set(steps.filter((s) => s.phase === 'succeeded').map((s) => s.name));
  const pending = steps.filter((s) => s.phase === 'pending');
  if (mode === 'StepByStep') {
    const busy = steps.some((s) => s.phase === 'running' || s.phase === 'suspending');
    const first = pending[0];
    if (busy || first === undefined) return [];
    const before = steps.slice(0, steps.indexOf(first));
    const depsMet = (rules.get(first.name)?.dependsOn ?? []).every((d) => succeeded.has(d));
    return before.every((s) => s.phase === 'succeeded') && depsMet ? [first] : [];
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
