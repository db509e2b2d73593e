import { PlacementError } from '../../core/errors/placement-error.ts';
import { ValidationError } from '../../core/errors/validation-error.ts';
import type { PlannedTarget, StepTally, TargetPayload } from '../../core/run/target.ts';
import { placementClusters } from '../clusters/placement-clusters.ts';
import { storedKindScopes } from '../clusters/kind-discovery.ts';
import { namespaceCreationIssues } from '../../core/tenancy/namespace-creation.ts';
import type { RunRecord, StepState } from '../../core/run/run.ts';
import { PlanBudget } from '../../core/workflow/plan-budget.ts';
import { planStep } from '../../core/workflow/plan-workflow.ts';
import type { PlannedPlacement } from '../../core/workflow/workflow-plan.ts';
import type { Engine } from '../context.ts';
import type { DeployStepProperties } from '../../core/workflow/deploy-step.ts';
import { progressRollout, recordRollout, releasedTargets, waitingForWave } from './rollout-step.ts';
import { confinementIssues } from '../../core/tenancy/confinement.ts';
import { renderableApplication, type RunApplication } from './run-revision.ts';
import { sealTargetResources } from '../secrets/target-secrets.ts';
import { orderRunOf } from '../messages/applier-message.ts';

export type StepStart =
  | { outcome: 'dispatched'; targets: number }
  /** The registry cannot place the step yet (no cluster matches): it stays running and is planned again later. */
  | { outcome: 'waiting'; message: string }
  | { outcome: 'invalid'; message: string };

/**
 * Starts one deploy step: resolves its placements against the cluster registry as it is now (so a cluster joined or
 * labelled since the app was submitted counts), records one target per (cluster, namespace) and sends one apply order
 * per target, grouped by cluster. What it renders is confined to the scope the revision was submitted under, again
 * here since the clusters (and so the overrides and placements) may differ from the submit's, and a rollback, restart
 * or trigger replays a revision without a submit.
 */
export async function startStep(engine: Engine, run: RunRecord, step: StepState, loaded: RunApplication, deadline: Date): Promise<StepStart> {
  const { scope } = loaded;
  let placements: PlannedPlacement[];
  let properties: DeployStepProperties | undefined;
  const records = await engine.store.clusters.list();
  const registry = placementClusters(records);
  try {
    const app = await renderableApplication(engine, loaded);
    const planned = planStep(app, step.name, registry.clusters, {
      revision: run.revisionName,
      budget: new PlanBudget(engine.settings.planBudgetMs, () => performance.now()),
    });
    placements = planned.placements;
    if (planned.type === 'deploy') properties = planned.properties;
    // Kinds without a stored discovery answer are deferred: the applier asks the cluster before it applies anything.
    const discovered = storedKindScopes(records, engine.now());
    const issues = [
      ...namespaceCreationIssues(app, placements, records),
      ...confinementIssues(app, placements, scope, registry.clusters, { discovered, unanswered: 'defer' }),
    ];
    if (issues.length > 0) throw new ValidationError(issues);
  } catch (err) {
    if (err instanceof PlacementError) return { outcome: 'waiting', message: err.message };
    if (err instanceof ValidationError) return { outcome: 'invalid', message: err.message };
    throw err;
  }
  // A rollout's rollback run touches only the clusters that rollout changed; the others never left this revision.
  const only = run.clusters === undefined ? undefined : new Set(run.clusters);
  if (only) placements = placements.filter((placement) => only.has(placement.cluster));
  // A rollout's waves are recorded before its targets: a replan after a crash reads them back, so a cluster joined
  // since the step started joins no wave (and gets no target) in this run.
  const placedClusters = registry.clusters.filter((cluster) => placements.some((placement) => placement.cluster === cluster.name));
  const rollout = properties ? await recordRollout(engine, run.runId, step.id, properties, placedClusters, placements) : undefined;
  if (rollout) {
    const members = new Set(rollout.waves.flatMap((wave) => wave.clusters));
    placements = placements.filter((placement) => members.has(placement.cluster));
  }
  const targets: PlannedTarget[] = [];
  for (const placement of placements) {
    const { cluster, namespace, createNamespace } = placement;
    const waiting = registry.notAccepted.get(cluster) ?? (rollout ? waitingForWave(rollout, cluster) : undefined);
    targets.push({ cluster, namespace, createNamespace, payload: await payloadFor(engine, run, step, placement), ...(waiting ? { message: waiting } : {}) });
  }
  const registered = await engine.store.targets.register(run.runId, step.id, targets);
  if (rollout) await progressRollout(engine, run.runId, step.id, (r, s, t, d) => sendApplyOrders(engine, r, s, t, d), { targets: registered });
  else await sendApplyOrders(engine, run, step, targets, deadline);
  return { outcome: 'dispatched', targets: targets.length };
}

/** Moves a running step's rollout on (next clusters, next wave, stop); false when nothing changed. */
export function advanceRollout(engine: Engine, run: RunRecord, step: StepState, tally?: StepTally): Promise<boolean> {
  return progressRollout(engine, run.runId, step.id, (r, s, t, d) => sendApplyOrders(engine, r, s, t, d), tally ? { tally } : {});
}

/**
 * Sends the apply orders of a running step again for its targets that have not finished (after a resume, whose
 * suspend dropped them), with the objects the planner rendered when the step started.
 */
export async function redispatchStep(engine: Engine, run: RunRecord, step: StepState, deadline: Date): Promise<number> {
  // A rollout's held targets stay held: only clusters of started waves had orders to drop.
  const open = releasedTargets(step, await engine.store.targets.listForStep(run.runId, step.id)).filter((t) => t.phase !== 'succeeded' && t.phase !== 'failed');
  const targets = open.flatMap((t) => (t.payload ? [{ cluster: t.cluster, namespace: t.namespace, createNamespace: t.createNamespace ?? false, payload: t.payload }] : []));
  await sendApplyOrders(engine, run, step, targets, deadline);
  return targets.length;
}

async function sendApplyOrders(engine: Engine, run: RunRecord, step: StepState, targets: PlannedTarget[], deadline: Date): Promise<void> {
  if (targets.length === 0) return;
  await engine.queues.toApplier(
    targets.map((target) => ({
      kind: 'apply',
      runId: run.runId,
      stepId: step.id,
      of: orderRunOf(run),
      cluster: target.cluster,
      namespace: target.namespace,
      createNamespace: target.createNamespace,
      deadline: deadline.toISOString(),
      payload: target.payload,
    })),
  );
}

/**
 * Inline when it fits comfortably in an SQS message; otherwise stored and referenced, never truncated. Either way the
 * Secret values of the objects are sealed for this target, so no message or record carries them in the clear.
 */
async function payloadFor(engine: Engine, run: RunRecord, step: StepState, placement: PlannedPlacement): Promise<TargetPayload> {
  const address = { runId: run.runId, stepId: step.id, cluster: placement.cluster, namespace: placement.namespace };
  const { resources, secrets } = await sealTargetResources(engine.cipher, address, placement.resources);
  const inline: TargetPayload = { where: 'inline', resources, components: placement.components, ...(secrets === undefined ? {} : { secrets }) };
  if (Buffer.byteLength(JSON.stringify(inline)) <= engine.settings.inlinePayloadBytes) return inline;
  const key = await engine.store.payloads.put(address, inline);
  return { where: 'stored', key };
}
