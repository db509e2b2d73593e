import type { ClusterInfo } from '../../core/policy/cluster-info.ts';
import { clusterNamespaces, decideRollout, dispatchedClusters, newRollout, rolloutPlacements, tallyOutcomes, type ClusterOutcome, type RolloutState } from '../../core/run/rollout-state.ts';
import { deadlineOf, suspendedStep } from '../../core/run/run-state.ts';
import type { RunRecord, StepState } from '../../core/run/run.ts';
import type { PlannedTarget, StepTally, TargetPlacement, TargetRecord } from '../../core/run/target.ts';
import type { DeployStepProperties } from '../../core/workflow/deploy-step.ts';
import { parseGoDuration } from '../../core/workflow/go-duration.ts';
import { assignWaves } from '../../core/workflow/rollout-waves.ts';
import type { Engine } from '../context.ts';
import { maxDelaySeconds } from '../ports/work-queues.ts';
import { runLogFields } from '../ports/telemetry.ts';
import { retryOnConflict } from '../retry.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import { requestRollback, WorkflowOperationError } from './revision-requests.ts';
import { replaceRun } from './run-telemetry.ts';

/**
 * The waves of a step with `rollout`, as recorded on the run: computed from the placed clusters the first time the
 * step starts and read back on every later start (a replan after a crash), so membership never changes mid-rollout.
 * A plain deploy step with `parallelism` is recorded the same way, as one wave of all its clusters: the machinery
 * that sends a wave's next cluster as another finishes is what holds it to that many at once. The namespaces of each
 * cluster's targets are recorded with the waves, so an advance judges clusters from the step's tally.
 */
export async function recordRollout(
  engine: Engine,
  runId: string,
  stepId: string,
  properties: DeployStepProperties,
  clusters: readonly ClusterInfo[],
  placements: readonly TargetPlacement[],
): Promise<RolloutState | undefined> {
  const { rollout, parallelism } = properties;
  if (rollout === undefined && parallelism === undefined) return undefined;
  return retryOnConflict(async () => {
    const run = await engine.store.runs.get(runId);
    const step = run?.steps.find((s) => s.id === stepId);
    if (!run || !step) return undefined;
    if (step.rollout) return step.rollout;
    const waves = rollout ? assignWaves(clusters, rollout) : assignWaves(clusters, { waves: ['100%'] });
    // No cluster placed (`clusters: []`): nothing to roll out, the step is a no-op as without `rollout`.
    if (waves.length === 0) return undefined;
    const limit = { ...(parallelism === undefined ? {} : { parallelism }), namespaces: clusterNamespaces(waves.flat(), placements) };
    let state: RolloutState;
    if (rollout) {
      const pauseSeconds = rollout.pauseBetweenWaves === undefined ? undefined : parseGoDuration(rollout.pauseBetweenWaves);
      state = newRollout(waves, {
        ...limit,
        maxUnavailableClusters: rollout.maxUnavailableClusters,
        approval: rollout.approval,
        onFailure: rollout.onFailure,
        waveTimeoutSeconds: parseGoDuration(rollout.waveTimeout) || 300,
        ...(pauseSeconds ? { pauseSeconds } : {}),
      });
    } else {
      // One wave never stops anything (the last wave closes from the step's tally), so the failure settings are moot.
      state = newRollout(waves, { ...limit, parallelismOnly: true, maxUnavailableClusters: 0, approval: false, onFailure: 'continue' });
    }
    const steps = run.steps.map((s) => (s.id === stepId ? { ...s, rollout: state } : s));
    await replaceRun(engine, run, { ...run, steps, updatedAt: engine.now().toISOString() });
    return state;
  });
}

/** What a held target says until its wave starts. */
export function waitingForWave(rollout: RolloutState, cluster: string): string | undefined {
  const index = rollout.waves.findIndex((wave) => wave.clusters.includes(cluster));
  return index <= 0 ? undefined : `waits for wave ${index + 1} of ${rollout.waves.length}`;
}

/** Targets whose orders may go out: all of them without a rollout, those of dispatched clusters with one. */
export function releasedTargets<T extends { cluster: string }>(step: StepState, targets: readonly T[]): T[] {
  if (!step.rollout) return [...targets];
  const released = dispatchedClusters(step.rollout);
  return targets.filter((target) => released.has(target.cluster));
}

export type OrderSender = (run: RunRecord, step: StepState, targets: PlannedTarget[], deadline: Date) => Promise<void>;

/** What a caller of progressRollout has read already and may hand over (each is used on the first attempt only). */
export interface KnownToRollout {
  /** The step's tally, read just before. */
  tally?: StepTally;
  /** The step's targets as just registered: the first wave's orders are sent from them without reading them back. */
  targets?: readonly TargetRecord[];
}

/**
 * Moves a running rollout on (see decideRollout): records the next clusters as dispatched, then sends their orders;
 * suspends the run for approval or after a failed wave (`pause`); fails it and asks for the rollback (`rollback`).
 * The write comes first and is versioned, so concurrent or repeated advances dispatch each cluster once. Returns
 * whether the run changed.
 *
 * An advance reads the run and the step's tally (the clusters' outcomes follow from the tally and the namespaces the
 * rollout recorded), then only the targets it dispatches, by key: its cost does not grow with the step. The step's
 * targets are listed only to expire a timed-out wave's, or for a rollout recorded without namespaces.
 */
export async function progressRollout(engine: Engine, runId: string, stepId: string, send: OrderSender, known: KnownToRollout = {}): Promise<boolean> {
  let attempt = 0;
  const outcome = await retryOnConflict(async () => {
    const first = attempt++ === 0;
    const run = await engine.store.runs.get(runId);
    const step = run?.steps.find((s) => s.id === stepId);
    if (!run || !step?.rollout || step.phase !== 'running' || run.phase !== 'running') return undefined;
    const { outcomes, listed } = await judgeClusters(engine, runId, stepId, step.rollout, first ? known.tally : undefined);
    const decision = decideRollout({ rollout: step.rollout, outcomes, now: engine.now() });
    if (decision.expire.clusters.length > 0) {
      const targets = listed ?? (await engine.store.targets.listForStep(runId, stepId));
      return { run, step, decision, listed, written: undefined, expired: await expireClusters(engine, run, step, targets, decision.expire) };
    }
    if (!decision.changed) return { run, step, decision, listed, written: undefined };
    const at = engine.now().toISOString();
    let next: RunRecord = { ...run, steps: run.steps.map((s) => (s.id === stepId ? { ...s, rollout: decision.rollout } : s)), updatedAt: at };
    const stop = decision.stop;
    if (stop?.kind === 'approval' || stop?.kind === 'pause') {
      next = { ...next, phase: 'suspended', steps: next.steps.map((s) => (s.id === stepId ? { ...suspendedStep(s, engine.now()), message: stop.message } : s)) };
    } else if (stop?.kind === 'rollback') {
      next = {
        ...next,
        phase: 'failed',
        message: `step ${step.name} failed`,
        steps: next.steps.map((s) => (s.id === stepId ? { ...s, phase: 'failed', message: stop.message, finishedAt: at } : s.phase === 'pending' ? { ...s, phase: 'skipped' } : s)),
      };
    }
    const written = await replaceRun(engine, run, next);
    return { run: written, step: written.steps.find((s) => s.id === stepId)!, decision, listed: listed ?? (first ? known.targets : undefined), written };
  });
  if (!outcome) return false;
  if (outcome.expired) return true;
  const { run, step, decision, listed, written } = outcome;
  if (written) {
    const fields = runLogFields(run, step);
    if (decision.stop) engine.telemetry.log(decision.stop.kind === 'approval' ? 'info' : 'warn', `rollout stopped (${decision.stop.kind})`, { ...fields, reason: decision.stop.message });
    const released = (await dispatchedTargets(engine, runId, stepId, step.rollout!, decision.dispatch, listed)).filter((t) => t.payload !== undefined);
    for (const target of released) await noteReleased(engine, target, waitingForWave(step.rollout!, target.cluster));
    const orders = released.map(plannedTargetOf);
    const timeoutSeconds = step.timeoutSeconds ?? engine.settings.defaultStepTimeoutSeconds;
    await send(run, step, orders, deadlineOf(step, { dependsOn: [], timeoutSeconds }, timeoutSeconds));
    if (decision.stop?.kind === 'rollback') await rollBack(engine, run, step);
  }
  if (written && decision.wakeAt) {
    const delay = Math.min(maxDelaySeconds, Math.max(1, (decision.wakeAt.getTime() - engine.now().getTime()) / 1000 + 1));
    await engine.queues.toPlanner([{ kind: 'advance', runId }], delay);
  }
  return written !== undefined;
}

/**
 * The clusters' outcomes from the step's tally when the rollout recorded each cluster's namespaces (one read, none
 * per target); otherwise, or when the tally counts other targets than recorded, from the targets themselves.
 */
async function judgeClusters(
  engine: Engine,
  runId: string,
  stepId: string,
  rollout: RolloutState,
  known: StepTally | undefined,
): Promise<{ outcomes: ReadonlyMap<string, ClusterOutcome>; listed?: TargetRecord[] }> {
  const tally = rollout.namespaces === undefined ? undefined : (known ?? (await engine.store.targets.tally(runId, stepId)));
  const outcomes = tally && tallyOutcomes(rollout, tally);
  if (outcomes) return { outcomes };
  const listed = await engine.store.targets.listForStep(runId, stepId);
  return { outcomes: clusterOutcomes(listed), listed };
}

/** The targets of the clusters just dispatched: from what was read already, else read by key (never the whole step). */
async function dispatchedTargets(
  engine: Engine,
  runId: string,
  stepId: string,
  rollout: RolloutState,
  clusters: readonly string[],
  listed: readonly TargetRecord[] | undefined,
): Promise<TargetRecord[]> {
  if (clusters.length === 0) return [];
  const dispatch = new Set(clusters);
  if (listed) return listed.filter((t) => dispatch.has(t.cluster));
  const placements = rolloutPlacements(rollout, clusters);
  if (!placements) return (await engine.store.targets.listForStep(runId, stepId)).filter((t) => dispatch.has(t.cluster));
  return engine.store.targets.getMany(runId, stepId, placements);
}

/** The planner fails a timed-out wave's waiting targets, as it fails a step's at its deadline, naming what each waited for. */
async function expireClusters(engine: Engine, run: RunRecord, step: StepState, targets: readonly TargetRecord[], expire: { clusters: string[]; message: string }): Promise<boolean> {
  const clusters = new Set(expire.clusters);
  for (const target of targets) {
    if (!clusters.has(target.cluster) || target.phase === 'succeeded' || target.phase === 'failed') continue;
    const waiting = target.message ? `: ${target.message}` : '';
    const message = `${expire.message}: step ${step.name} gave up on cluster ${target.cluster}, namespace ${target.namespace}${waiting}`;
    const completion = await engine.store.targets.complete(run.runId, step.id, target, { phase: 'failed', message });
    if (completion.recorded) {
      engine.telemetry.count('TargetFinished', { outcome: 'failed' });
      engine.telemetry.log('warn', 'target failed', { ...runLogFields(run, step), cluster: target.cluster, targetNamespace: target.namespace, reason: message });
    }
  }
  return true;
}

/** A cluster is healthy only when every one of its targets succeeded (health read after its apply); any failure fails it. */
export function clusterOutcomes(targets: readonly TargetRecord[]): Map<string, ClusterOutcome> {
  const outcomes = new Map<string, ClusterOutcome>();
  for (const target of targets) {
    const was = outcomes.get(target.cluster);
    const now: ClusterOutcome = target.phase === 'failed' ? 'failed' : target.phase === 'succeeded' ? 'succeeded' : 'open';
    if (was === 'failed' || now === 'failed') outcomes.set(target.cluster, 'failed');
    else if (was === 'open' || now === 'open') outcomes.set(target.cluster, 'open');
    else outcomes.set(target.cluster, 'succeeded');
  }
  return outcomes;
}

/**
 * A held target's news starts when its order goes out: the wave message is dropped and its time is now, so the sweep
 * does not take an order sent long after the step started for a lost one.
 */
async function noteReleased(engine: Engine, target: TargetRecord, heldMessage: string | undefined): Promise<void> {
  if (target.phase !== 'pending') return;
  const { message, ...rest } = target;
  const kept = message !== undefined && message !== heldMessage ? { message } : {};
  try {
    await engine.store.targets.replace({ ...rest, ...kept, updatedAt: engine.now().toISOString() }, target.version);
  } catch (error) {
    // Someone else wrote it meanwhile (the applier's news, a sweep): that write is newer anyway.
    if (!(error instanceof ConflictError)) throw error;
  }
}

function plannedTargetOf(target: TargetRecord): PlannedTarget {
  return { cluster: target.cluster, namespace: target.namespace, createNamespace: target.createNamespace ?? false, payload: target.payload! };
}

/**
 * `onFailure: rollback`: the request `flotilla workflow rollback` makes, made by the planner once it failed the run,
 * limited to the clusters the failed run changed: the previous succeeded revision becomes current and runs again
 * there only. Clusters it never sent anything to still run that revision and are left alone (no apply, no garbage
 * collection). Without such a revision the run stays failed and says so.
 */
async function rollBack(engine: Engine, run: RunRecord, step: StepState): Promise<void> {
  const app = { namespace: run.namespace, name: run.application };
  try {
    const runs = await engine.store.runs.listForApplication(app.namespace, app.name);
    const clusters = changedClusters(run, await engine.store.targets.listForRun(run.runId));
    const accepted = await requestRollback(engine, app, runs, { clusters });
    engine.telemetry.log('warn', 'rollout rolled back', { ...runLogFields(run, step), reason: `rolling back to ${accepted.revisionName}` });
    await noteStep(engine, run.runId, step.id, `${step.message ?? ''}: ${accepted.revisionName} (run ${accepted.runId})`);
  } catch (error) {
    if (!(error instanceof WorkflowOperationError)) throw error;
    await noteStep(engine, run.runId, step.id, `${step.message ?? ''}; not rolled back: ${error.message}`);
  }
}

/**
 * The clusters a run sent apply orders to, in name order: every target's of a step without waves, the dispatched ones
 * of a rollout (a held cluster was never sent anything).
 */
export function changedClusters(run: RunRecord, targets: readonly TargetRecord[]): string[] {
  const changed = new Set<string>();
  for (const target of targets) {
    const step = run.steps.find((s) => s.id === target.stepId);
    if (step?.rollout && !dispatchedClusters(step.rollout).has(target.cluster)) continue;
    changed.add(target.cluster);
  }
  return [...changed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function noteStep(engine: Engine, runId: string, stepId: string, message: string): Promise<void> {
  await retryOnConflict(async () => {
    const run = await engine.store.runs.get(runId);
    if (!run) return;
    const steps = run.steps.map((s) => (s.id === stepId ? { ...s, message } : s));
    await engine.store.runs.replace({ ...run, steps, updatedAt: engine.now().toISOString() }, run.version);
  });
}
