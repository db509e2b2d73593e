import type { StepTally } from '../../core/run/target.ts';
import { maxDelaySeconds } from '../ports/work-queues.ts';
import type { RunRecord } from '../../core/run/run.ts';
import { outlineWorkflow } from '../../core/workflow/plan-workflow.ts';
import type { Engine } from '../context.ts';
import { retryOnConflict } from '../retry.ts';
import type { Application } from '../../core/application/application.ts';
import { decideRun, deadlineOf, recordedRules, terminated, type StepRules } from '../../core/run/run-state.ts';
import type { WorkflowMode, PlannedStep } from '../../core/workflow/workflow-plan.ts';
import { loadRunApplication, type RunApplication } from './run-revision.ts';
import { advanceRollout, startStep } from './start-step.ts';
import { startOutboundStep } from './outbound-step.ts';
import { isOutboundStepType } from '../../core/workflow/notification-step.ts';
import { replaceRun } from './run-telemetry.ts';
import { runLogFields } from '../ports/telemetry.ts';

/**
 * Looks at a run again and moves it on: finished steps close, ready steps start, expired steps fail, and a run whose
 * steps are all done closes (and asks for garbage collection when it succeeded). Safe to call any number of times: every
 * transition is a versioned write, so duplicate or concurrent calls change nothing twice.
 */
export async function advanceRun(engine: Engine, runId: string, known?: RunApplication): Promise<RunRecord | undefined> {
  // The revision is read and checked at most once per planner message, and only when a step has to be planned (or the
  // run predates recorded step rules); closing steps and runs works from the run record alone.
  let loaded: RunApplication | null | undefined = known;
  const application = async (run: RunRecord): Promise<RunApplication | undefined> => {
    if (loaded === undefined) loaded = (await loadRunApplication(engine, run)) ?? null;
    return loaded ?? undefined;
  };
  for (let pass = 0; pass < 10; pass++) {
    const outcome = await retryOnConflict(() => advanceOnce(engine, runId, application));
    if (!outcome.again) return outcome.run;
  }
  return engine.store.runs.get(runId);
}

/** Step rules for a run recorded before they were kept with its steps. */
function derivedRules(engine: Engine, app: Application, run: RunRecord): Map<string, StepRules> {
  return new Map(outlineWorkflow(app, { revision: run.revisionName }).steps.map((step) => [step.name, stepRules(engine, step)]));
}

/** How long a notification or webhook step without a `timeout` waits for its posts' outcome. */
export const outboundStepTimeoutSeconds = 120;

/** A step's rules as the workflow states them, with the default deadline for a step that names none. */
export function stepRules(engine: Engine, step: PlannedStep): StepRules {
  return {
    dependsOn: step.dependsOn,
    // A post is retried for well under a minute; its step does not hold the run for a deploy's ten minutes.
    timeoutSeconds: step.timeoutSeconds ?? (isOutboundStepType(step.type) ? outboundStepTimeoutSeconds : engine.settings.defaultStepTimeoutSeconds),
    ...(step.condition !== undefined ? { condition: step.condition } : {}),
    ...(step.type === 'suspend' && step.durationSeconds !== undefined ? { durationSeconds: step.durationSeconds } : {}),
    ...(step.type === 'suspend' && step.properties.message !== undefined ? { suspendMessage: step.properties.message } : {}),
  };
}

async function advanceOnce(
  engine: Engine,
  runId: string,
  application: (run: RunRecord) => Promise<RunApplication | undefined>,
): Promise<{ run?: RunRecord; again: boolean }> {
  const { store } = engine;
  const run = await store.runs.get(runId);
  if (!run || (run.phase !== 'running' && run.phase !== 'suspended')) return { run, again: false };
  const purged = async () => {
    // The application was deleted and purged under a run that was still going: nothing is left to run.
    return { run: await replaceRun(engine, run, terminated(run, 'application deleted', engine.now())), again: false };
  };
  let rules: ReadonlyMap<string, StepRules> | undefined = recordedRules(run);
  if (!rules) {
    const loaded = await application(run);
    if (!loaded) return purged();
    rules = derivedRules(engine, loaded.app, run);
  }
  const mode = run.mode as WorkflowMode;
  const tallies = new Map<string, StepTally>();
  const failures = new Map<string, string[]>();
  for (const step of run.steps.filter((s) => s.type === 'deploy' && s.phase === 'running')) {
    const tally = await store.targets.tally(runId, step.id);
    if (!tally) continue;
    tallies.set(step.id, tally);
    if (tally.failed.size > 0 && tally.finished.size >= tally.expected) {
      const targets = await store.targets.listForStep(runId, step.id);
      failures.set(step.id, targets.filter((t) => t.phase === 'failed').map((t) => t.message ?? `${t.cluster}/${t.namespace} failed`));
    }
  }
  // A rollout moves on wave by wave before the step is judged: its tally completes only once every wave has run.
  const now = engine.now();
  for (const step of run.steps.filter((s) => s.type === 'deploy' && s.phase === 'running' && s.rollout && tallies.has(s.id))) {
    // Past the deadline nothing more is dispatched: the step's open and held targets fail below.
    if (deadlineOf(step, rules.get(step.name), engine.settings.defaultStepTimeoutSeconds) <= now) continue;
    if (await advanceRollout(engine, run, step, tallies.get(step.id))) return { run, again: true };
  }
  const decision = decideRun({ run, mode, rules, tallies, failures, now });

  // Expired targets fail first; the next pass then sees complete tallies and fails the step with their messages.
  for (const step of decision.expired) {
    const timeout = rules.get(step.name)?.timeoutSeconds;
    for (const target of await store.targets.listForStep(runId, step.id)) {
      if (target.phase === 'succeeded' || target.phase === 'failed') continue;
      const waiting = target.message ? `: ${target.message}` : '';
      const message = `step ${step.name} timed out after ${timeout}s waiting for cluster ${target.cluster}, namespace ${target.namespace}${waiting}`;
      const completion = await store.targets.complete(runId, step.id, target, { phase: 'failed', message });
      if (completion.recorded) {
        engine.telemetry.count('TargetFinished', { outcome: 'failed' });
        engine.telemetry.log('warn', 'target failed', { ...runLogFields(run, step), cluster: target.cluster, targetNamespace: target.namespace, reason: message });
      }
    }
  }
  if (decision.expired.length > 0) return { run, again: true };

  const written = decision.changed ? await replaceRun(engine, run, decision.run) : run;
  let again = false;
  for (const step of [...decision.start, ...decision.replan]) {
    const loaded = await application(written);
    if (!loaded) return purged();
    const deadline = deadlineOf(step, rules.get(step.name), engine.settings.defaultStepTimeoutSeconds);
    const started = isOutboundStepType(step.type) ? await startOutboundStep(engine, written, step, loaded) : await startStep(engine, written, step, loaded, deadline);
    if (started.outcome === 'dispatched') {
      if (started.targets === 0 && step.type === 'deploy') again = true;
      continue;
    }
    await noteStepProblem(engine, runId, step.id, started.message, started.outcome === 'invalid');
    again = again || started.outcome === 'invalid';
    if (started.outcome === 'waiting') {
      // Try the placement again soon; a cluster may be joined or labelled meanwhile. The deadline still applies.
      await engine.queues.toPlanner([{ kind: 'advance', runId }], retryDelaySeconds(step.startedAt, now));
    }
  }
  const wake = decision.wakeAt.map((d) => d.getTime()).filter((t) => t > now.getTime());
  if (wake.length > 0) {
    const at = new Date(Math.min(...wake));
    await engine.queues.toPlanner([{ kind: 'advance', runId, at: at.toISOString() }], (at.getTime() - now.getTime()) / 1000 + 1);
  }
  if (written.phase === 'succeeded') {
    await engine.queues.toPlanner([{ kind: 'collect', namespace: written.namespace, name: written.application, runId }]);
  }
  return { run: written, again };
}

/** Placement retries back off with the step's age: every second at first, at most every minute. */
function retryDelaySeconds(startedAt: string | undefined, now: Date): number {
  const age = (now.getTime() - Date.parse(startedAt ?? now.toISOString())) / 1000;
  return Math.min(60, Math.max(1, Math.ceil(age / 2)), maxDelaySeconds);
}

/** Records why a running step cannot go on; an invalid step fails outright. */
async function noteStepProblem(engine: Engine, runId: string, stepId: string, message: string, fail: boolean): Promise<void> {
  await retryOnConflict(async () => {
    const run = await engine.store.runs.get(runId);
    const step = run?.steps.find((s) => s.id === stepId);
    if (!run || !step || step.phase !== 'running' || (step.message === message && !fail)) return;
    const at = engine.now().toISOString();
    const steps = run.steps.map((s) => (s.id === stepId ? { ...s, message, ...(fail ? { phase: 'failed' as const, finishedAt: at } : {}) } : s));
    await replaceRun(engine, run, { ...run, steps, updatedAt: at });
  });
}
