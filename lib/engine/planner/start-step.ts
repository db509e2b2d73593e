import type { Application } from '../../core/application/application.ts';
import { PlacementError } from '../../core/errors/placement-error.ts';
import { ValidationError } from '../../core/errors/validation-error.ts';
import type { TargetPayload } from '../messages/applier-message.ts';
import type { ApplyOrRemove } from '../ports/work-queues.ts';
import type { RunRecord, StepState } from '../../core/run/run.ts';
import { planStep } from '../../core/workflow/plan-workflow.ts';
import type { PlannedPlacement } from '../../core/workflow/workflow-plan.ts';
import type { Engine } from '../context.ts';

export type StepStart =
  | { outcome: 'dispatched'; targets: number }
  /** The registry cannot place the step yet (no cluster matches): it stays running and is planned again later. */
  | { outcome: 'waiting'; message: string }
  | { outcome: 'invalid'; message: string };

/**
 * Starts one deploy step: resolves its placements against the cluster registry as it is now (so a cluster joined or
 * labelled since the app was submitted counts), records one target per (cluster, namespace) and sends one apply order
 * per target, grouped by cluster.
 */
export async function startStep(engine: Engine, run: RunRecord, step: StepState, app: Application, deadline: Date): Promise<StepStart> {
  const clusters = (await engine.store.clusters.list()).filter((c) => c.accepted).map((c) => ({ name: c.name, labels: c.labels }));
  let placements: PlannedPlacement[];
  try {
    placements = planStep(app, step.name, clusters, { revision: run.revisionName }).placements;
  } catch (err) {
    if (err instanceof PlacementError) return { outcome: 'waiting', message: err.message };
    if (err instanceof ValidationError) return { outcome: 'invalid', message: err.message };
    throw err;
  }
  await engine.store.targets.register(run.runId, step.id, placements.map(({ cluster, namespace }) => ({ cluster, namespace })));
  await sendApplyOrders(engine, run, step, placements, deadline);
  return { outcome: 'dispatched', targets: placements.length };
}

/**
 * Sends the apply orders of a running step again for its targets that have not finished (after a resume, whose
 * suspend dropped them). Placements are planned again, which is pure for an unchanged registry.
 */
export async function redispatchStep(engine: Engine, run: RunRecord, step: StepState, app: Application, deadline: Date): Promise<number> {
  const open = new Set(
    (await engine.store.targets.listForStep(run.runId, step.id))
      .filter((t) => t.phase !== 'succeeded' && t.phase !== 'failed')
      .map((t) => `${t.cluster}/${t.namespace}`),
  );
  if (open.size === 0) return 0;
  const clusters = (await engine.store.clusters.list()).map((c) => ({ name: c.name, labels: c.labels }));
  const placements = planStep(app, step.name, clusters, { revision: run.revisionName }).placements.filter((p) => open.has(`${p.cluster}/${p.namespace}`));
  await sendApplyOrders(engine, run, step, placements, deadline);
  return placements.length;
}

async function sendApplyOrders(engine: Engine, run: RunRecord, step: StepState, placements: PlannedPlacement[], deadline: Date): Promise<void> {
  const orders: ApplyOrRemove[] = [];
  for (const placement of placements) {
    orders.push({
      kind: 'apply',
      runId: run.runId,
      stepId: step.id,
      cluster: placement.cluster,
      namespace: placement.namespace,
      createNamespace: placement.createNamespace,
      deadline: deadline.toISOString(),
      payload: await payloadFor(engine, run, step, placement),
    });
  }
  await engine.queues.toApplier(orders);
}

/** Inline when it fits comfortably in an SQS message; otherwise stored and referenced, never truncated. */
async function payloadFor(engine: Engine, run: RunRecord, step: StepState, placement: PlannedPlacement): Promise<TargetPayload> {
  const inline: TargetPayload = { where: 'inline', resources: placement.resources, components: placement.components };
  if (Buffer.byteLength(JSON.stringify(inline)) <= engine.settings.inlinePayloadBytes) return inline;
  const key = await engine.store.payloads.put(
    { runId: run.runId, stepId: step.id, cluster: placement.cluster, namespace: placement.namespace },
    inline,
  );
  return { where: 'stored', key };
}
