import { ClusterError } from '../ports/cluster-error.ts';
import type { ApplierMessage } from '../messages/applier-message.ts';
import type { Engine } from '../context.ts';
import type { TargetHealthDetail } from '../../core/run/health-detail.ts';
import { resolvePayload } from './target-payload.ts';
import { applyAll, ApplyFailure, liveRunOf, Superseded } from './dispatch-target.ts';
import { readTargetHealth } from './target-health.ts';

type RefreshOrder = Extract<ApplierMessage, { kind: 'refresh' }>;

/**
 * Keeps a finished deployment honest: health is read again on a schedule, so status never freezes at deploy time
 * (KubeVela #6639), and with `reapply` the objects are applied again first, undoing drift. Only the application's live
 * run is refreshed: its finished targets whatever the run's phase (a run waiting on a dead cluster keeps the others'
 * readings fresh), re-applied only once it succeeded. An unreachable cluster turns its services Unhealthy with the reason.
 */
export async function refreshTarget(engine: Engine, order: RefreshOrder): Promise<string> {
  const { store } = engine;
  const run = await store.runs.get(order.runId);
  if (!run) return `dropped: run ${order.runId} is gone`;
  if (order.reapply && run.phase !== 'succeeded') return `dropped: run ${order.runId} is ${run.phase}; only a succeeded run is re-applied`;
  if ((await liveRunOf(engine, run)) !== run.runId) return 'dropped: a newer run exists';
  const stillDeployed = async () => (await store.applications.get(run.namespace, run.application))?.deleting === false;
  if (!(await stillDeployed())) return 'dropped: the application is being deleted';
  const target = await store.targets.get(order.runId, order.stepId, order);
  const step = run.steps.find((s) => s.id === order.stepId);
  if (!target || target.phase !== 'succeeded' || !step) return 'dropped: target not succeeded';

  // What the planner rendered when the step started: a refresh re-reads (and drift correction re-applies) exactly that.
  if (!target.payload) return `dropped: ${order.cluster}/${order.namespace} has no recorded objects (deployed before they were kept); run the workflow again`;
  const payload = await resolvePayload(engine, target.payload);

  let detail: TargetHealthDetail;
  let message = '';
  try {
    const client = await engine.clusterClient(order.cluster);
    if (order.reapply) await applyAll(engine, client, run, { ...order, createNamespace: target.createNamespace ?? false }, payload, stillDeployed);
    const health = await readTargetHealth(client, payload, run.application, engine.now());
    detail = health.detail;
    message = health.healthy ? '' : `unhealthy: ${health.waitingFor}`;
  } catch (err) {
    if (err instanceof Superseded) return `dropped: ${err.message}`;
    if (!(err instanceof ClusterError || err instanceof ApplyFailure)) throw err;
    message = err.message;
    detail = {
      checkedAt: engine.now().toISOString(),
      services: payload.components.map((c) => ({
        component: c.name,
        type: c.type,
        healthy: false,
        message: err.message,
        traits: c.traits.map((type) => ({ type, healthy: false, message: '' })),
      })),
    };
  }
  try {
    await store.targets.replace({ ...target, detail, message, updatedAt: engine.now().toISOString() }, target.version);
  } catch {
    // A concurrent refresh wrote first; its reading is as fresh as ours.
  }
  return `${order.cluster}/${order.namespace}: ${order.reapply ? 're-applied, ' : ''}${message || 'healthy'}`;
}
