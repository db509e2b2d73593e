import { dispatchedClusters } from '../../core/run/rollout-state.ts';
import { UnknownClusterError } from '../../core/cluster/cluster-errors.ts';
import { orderRunOf, type ApplierMessage, type OrderRun } from '../messages/applier-message.ts';
import { ClusterError } from '../ports/cluster-error.ts';
import type { ClusterClient } from '../ports/cluster-client.ts';
import { describeObject, type KubernetesObject } from '../../core/object/kubernetes-object.ts';
import { applyOwnership, type ApplicationRef } from '../../core/render/ownership.ts';
import { resourceOwner } from '../../core/render/oam-labels.ts';
import type { Engine } from '../context.ts';
import type { RunRecord, StepState } from '../../core/run/run.ts';
import type { TargetOutcome, TargetRecord } from '../../core/run/target.ts';
import { recordApplied } from '../keeper/inventory.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import { backoffSeconds, RetryLater } from '../retry.ts';
import { readTargetHealth, type TargetHealth } from './target-health.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolvePayload, type InlinePayload } from './target-payload.ts';
import { openTargetResources } from '../secrets/target-secrets.ts';
import { kindScope } from '../../core/object/cluster-scoped-kinds.ts';
import { applyPhases } from '../../core/object/apply-phases.ts';
import { eachBounded } from './each-bounded.ts';
import { awaitEstablished } from './await-established.ts';
import { pauseAfterPoll } from './quick-polls.ts';
import { discoveredKindProblems, isConfined } from '../../core/tenancy/confinement.ts';
import { mayCreateNamespace, namespaceCreationRefusal } from '../../core/tenancy/creatable-namespaces.ts';
import type { ClusterRecord } from '../../core/cluster/cluster-record.ts';
import type { InventoryRecord } from '../../core/run/inventory.ts';
import type { OrderRead } from '../ports/store.ts';
import { millisecondsBetween, runLogFields, type Telemetry } from '../ports/telemetry.ts';

type TargetOrder = Extract<ApplierMessage, { kind: 'apply' | 'check' }>;
type Where = Pick<TargetOrder, 'runId' | 'stepId' | 'cluster' | 'namespace'> & { createNamespace: boolean };

export type DispatchOutcome =
  /** The run was superseded, terminated or finished, or the target already finished: the order is void. */
  | { result: 'dropped'; reason: string }
  | { result: 'succeeded' | 'failed'; message: string }
  | { result: 'waiting'; message: string; recheckInSeconds: number };

interface Current {
  run: RunRecord;
  step: StepState;
  target: TargetRecord;
  /** Read with the run; absent when the cluster is not registered (the client lookup then says so). */
  cluster: ClusterRecord | undefined;
  /** An apply order's inventory of (application, cluster, revision) as read with the run. */
  inventory: { inventory: InventoryRecord | undefined } | undefined;
}

interface OrderView extends OrderRead {
  /** Whether `liveRunId` was read; otherwise the still-wanted check after the inventory write is the live-run fence. */
  liveRead: boolean;
  /** The inventory as read, or presumed absent (a revision's first apply to a cluster); undefined for a check order. */
  inventory?: InventoryRecord;
  inventoryKnown: boolean;
  /** The order's `of` names another application or revision than its run: it is dropped, never acted on. */
  mismatched?: true;
}

/**
 * Everything an order is fenced by, and what its apply needs, in one BatchGetItem: run, live-run pointer, target,
 * cluster record and (for an apply) inventory. The pointer and inventory are keyed by the run's application, which
 * the planner's orders carry (`of`). An order without it (sent by a planner from before orders carried it, so only
 * while a deploy upgrades) reads without them: an apply then leaves the live-run fence to the still-wanted check
 * (which comes before anything is applied) and presumes its inventory absent (a create that finds one reads and
 * merges), while a check order reads the pointer in a second request.
 */
async function readOrder(engine: Engine, order: TargetOrder): Promise<OrderView> {
  const { orderReads } = engine.store;
  const own = { runId: order.runId, target: { stepId: order.stepId, placement: order }, cluster: order.cluster };
  const apply = order.kind === 'apply';
  const ofApplication = (identity: OrderRun) => ({
    application: { namespace: identity.namespace, name: identity.application },
    ...(apply ? { inventory: { namespace: identity.namespace, application: identity.application, cluster: order.cluster, revision: identity.revision } } : {}),
  });
  if (order.of) {
    const read = await orderReads.read({ ...own, ...ofApplication(order.of) });
    // Whatever sent the order, the run read is the truth: an identity that does not match it reads nothing else.
    const matches = read.run?.namespace === order.of.namespace && read.run.application === order.of.application && read.run.revision === order.of.revision;
    if (matches || !read.run) return { ...read, liveRead: true, inventoryKnown: apply };
    return { run: read.run, liveRead: false, inventoryKnown: false, mismatched: true };
  }
  const first = await orderReads.read(own);
  if (!first.run || apply) return { ...first, liveRead: false, inventoryKnown: apply };
  const second = await orderReads.read({ runId: order.runId, ...ofApplication(orderRunOf(first.run)) });
  return { ...first, ...second, liveRead: true, inventoryKnown: false };
}

/**
 * Fencing: an order acts only while its run is active, its step is running and its target is open. A newer revision
 * terminates the older run, so its remaining orders are dropped here instead of overwriting newer objects; a suspended
 * workflow turns its running steps into `suspending`, which holds their orders back until resume sends them again.
 * The live-run check of a run's first apply order in this process is the still-wanted read in `applyAll`, made after
 * the inventory write and before anything is applied, as for every apply.
 */
async function current(engine: Engine, order: TargetOrder): Promise<Current | { reason: string }> {
  const read = await readOrder(engine, order);
  const { run } = read;
  if (!run) return { reason: `run ${order.runId} not found` };
  if (read.mismatched) return { reason: `order names ${order.of?.namespace}/${order.of?.application} revision ${order.of?.revision}, but run ${order.runId} runs ${run.namespace}/${run.application} revision ${run.revision}` };
  if (run.phase !== 'running' && run.phase !== 'suspended') return { reason: `run ${order.runId} is ${run.phase}` };
  const live = read.liveRunId ?? run.runId;
  if (read.liveRead && live !== run.runId) return { reason: `run ${order.runId} is no longer the live run of ${run.namespace}/${run.application} (${live} is)` };
  const step = run.steps.find((s) => s.id === order.stepId);
  if (!step || step.phase !== 'running') return { reason: `step ${step?.name ?? order.stepId} is ${step?.phase ?? 'unknown'}` };
  const { target } = read;
  if (!target) return { reason: `target ${order.cluster}/${order.namespace} is not registered` };
  if (target.phase === 'succeeded' || target.phase === 'failed') return { reason: `target already ${target.phase}` };
  // A rollout's cluster whose wave has not started has no order yet; a stray one must not jump the wave.
  if (step.rollout && !dispatchedClusters(step.rollout).has(order.cluster)) return { reason: `cluster ${order.cluster} waits for its wave` };
  // One health-check chain per target, however often messages are delivered: each check carries the attempt it was
  // scheduled as, and only the chain that recorded that attempt on the target goes on.
  if (order.kind === 'check' && target.attempts !== order.attempt) return { reason: `health check ${order.attempt} is not the latest (${target.attempts})` };
  return { run, step, target, cluster: read.cluster, inventory: read.inventoryKnown ? { inventory: read.inventory } : undefined };
}

/**
 * Applies one target's objects (apply order) or looks at their health again (check order), then finishes the target
 * when it is healthy or has failed, or schedules another health check.
 */
export async function dispatchTarget(engine: Engine, order: TargetOrder, receiveCount = 1): Promise<DispatchOutcome> {
  const found = await current(engine, order);
  if (!('run' in found)) return { result: 'dropped', reason: found.reason };
  const { run, step } = found;
  const now = engine.now();
  const pastDeadline = now >= new Date(order.deadline);
  const where = `cluster ${order.cluster}, namespace ${order.namespace}`;
  const telemetry = engine.telemetry.with({ ...runLogFields(run, step), cluster: order.cluster, targetNamespace: order.namespace });
  const finish = (outcome: TargetOutcome) => finishTarget(engine, telemetry, order, found.target, outcome, step);

  try {
    const payload = await resolvePayload(engine, order.payload);
    const client = await engine.clusterClient(order.cluster, found.cluster);
    if (order.kind === 'apply') {
      const refused = await unconfinableKinds(engine, client, run, order, payload);
      if (refused !== undefined) return finish({ phase: 'failed', message: refused });
      const applying = engine.now();
      await applyAll(engine, client, run, order, payload, () => runIsLive(engine, run), { cluster: found.cluster, inventory: found.inventory });
      telemetry.duration('ApplyLatency', { cluster: order.cluster }, engine.now().getTime() - applying.getTime());
    }
    const health = await waitBriefly(() => readTargetHealth(client, payload, run.application, engine.now()), engine.settings.inlineHealthWaitMs);
    if (health.healthy) {
      return finish({ phase: 'succeeded', message: '', detail: health.detail });
    }
    if (pastDeadline) {
      return finish({
        phase: 'failed',
        message: `step ${step.name} timed out waiting for ${where} to become healthy: ${health.waitingFor}`,
        detail: health.detail,
      });
    }
    const noted = await noteProgress(engine, found.target, `wait healthy: ${health.waitingFor}`, health.detail);
    // Another delivery of this order (or a newer order) recorded its progress first: its chain goes on, not this one.
    if (!noted) return { result: 'dropped', reason: 'another health check of this target is under way' };
    const attempt = noted.attempts;
    const delay = backoffSeconds(attempt, engine.settings.maxRecheckDelaySeconds);
    await engine.queues.unordered({ ...order, kind: 'check', attempt }, delay);
    return { result: 'waiting', message: health.waitingFor, recheckInSeconds: delay };
  } catch (err) {
    if (err instanceof Superseded) return { result: 'dropped', reason: err.message };
    const failure = err instanceof ApplyFailure ? err : undefined;
    const clusterError = failure?.cause instanceof ClusterError ? failure.cause : err instanceof ClusterError ? err : undefined;
    if (clusterError?.retryable && !pastDeadline) {
      const reason = `${where}: ${clusterError.message}`;
      // The last receive the queue allows fails the target with the reason instead of letting the order go silently
      // to the dead-letter queue.
      if (receiveCount >= engine.settings.maxOrderReceives) {
        telemetry.count('OrdersGivenUp', {});
        return finish({ phase: 'failed', message: `gave up after ${receiveCount} attempts: ${reason}` });
      }
      // Said where people look: status shows why the target waits, and a deadline failure quotes it.
      await noteRetry(engine, found.target, `retrying: ${reason}`);
      telemetry.count('OrderRetries', { work: 'apply' });
      throw new RetryLater(reason, backoffSeconds(receiveCount, engine.settings.maxRecheckDelaySeconds), { cause: err });
    }
    if (failure || clusterError) {
      const reason = failure?.message ?? `${where}: ${clusterError!.message}`;
      return finish({ phase: 'failed', message: pastDeadline && clusterError?.retryable ? `step ${step.name} timed out: ${reason}` : reason });
    }
    if (err instanceof UnknownClusterError) return finish({ phase: 'failed', message: `${where}: ${(err as Error).message}` });
    throw err;
  }
}

/**
 * The last word on kinds Flotilla cannot classify offline, for revisions submitted under a namespace-limited scope: the
 * planner let them through (it cannot ask clusters), so before anything is applied the cluster's discovery must say
 * each is namespaced. A refusal names every such object; nothing of the target is applied.
 */
async function unconfinableKinds(engine: Engine, client: ClusterClient, run: RunRecord, order: TargetOrder, payload: InlinePayload): Promise<string | undefined> {
  const unclassified = payload.resources.filter((object) => kindScope(object.apiVersion, object.kind) === 'unknown');
  if (unclassified.length === 0) return undefined;
  const scope = (await engine.store.applications.getRevision(run.namespace, run.application, run.revision))?.scope;
  if (!isConfined(scope)) return undefined;
  const answers = await client.kindScopes(unclassified);
  const problems = discoveredKindProblems(unclassified, { cluster: order.cluster, namespace: order.namespace }, scope, answers);
  if (problems.length === 0) return undefined;
  return `cluster ${order.cluster}, namespace ${order.namespace}: nothing applied: ${problems.join('; ')}`;
}

/**
 * Most rollouts finish within moments of the apply, so health is polled in place for a short while (as `kubectl
 * rollout status` does) before falling back to a delayed re-check message, which costs a queue round trip. The first
 * polls come quickly (a small rollout is often healthy within tens of milliseconds), then every 250 ms.
 */
async function waitBriefly(read: () => Promise<TargetHealth>, budgetMs: number): Promise<TargetHealth> {
  const until = Date.now() + budgetMs;
  for (let poll = 0; ; poll++) {
    const health = await read();
    const pause = pauseAfterPoll(poll);
    if (health.healthy || Date.now() + pause > until) return health;
    await sleep(pause);
  }
}

/** A failed apply, worded the way the seed article shows it: which component, where, and the API server's reason. */
export class ApplyFailure extends Error {
  constructor(message: string, cause: ClusterError) {
    super(message, { cause });
    this.name = 'ApplyFailure';
  }
}

/** Records the caller read moments ago (strongly consistent), which the apply need not read again. */
export interface AlreadyRead {
  cluster?: ClusterRecord | undefined;
  inventory?: { inventory: InventoryRecord | undefined } | undefined;
}

/**
 * Applies a target's objects. The inventory is written first, so garbage collection and deletion always know what may
 * exist; then `stillWanted` is asked, because a delete or a newer revision may have stopped the run between the order's
 * fencing check and now, and whoever stopped it listed inventories before ours appeared.
 */
export async function applyAll(
  engine: Engine,
  client: ClusterClient,
  run: RunRecord,
  order: Where,
  payload: InlinePayload,
  stillWanted: () => Promise<boolean>,
  read: AlreadyRead = {},
): Promise<void> {
  if (order.createNamespace) {
    // The admin may have narrowed the cluster's list since the step started (or since the target first applied).
    const allowed = (read.cluster ?? (await engine.store.clusters.get(order.cluster)))?.creatableNamespaces;
    if (!mayCreateNamespace(allowed, order.namespace)) {
      const message = namespaceCreationRefusal(order.cluster, order.namespace, allowed ?? []);
      throw new ApplyFailure(`cluster ${order.cluster}, namespace ${order.namespace}: ${message}`, new ClusterError(message, { retryable: false }));
    }
    await client.ensureNamespace(order.namespace);
  }
  await recordApplied(engine, run, order.cluster, payload.resources, read.inventory);
  if (!(await stillWanted())) {
    await forgetIfOrphaned(engine, run, order.cluster);
    throw new Superseded(`run ${run.runId} stopped while its objects were about to be applied to cluster ${order.cluster}`);
  }
  // The Secret values come out of their seal here, just before the apply, and live only in this call.
  const resources = await openTargetResources(engine.cipher, order, payload);
  const applyOne = async (object: KubernetesObject) => {
    try {
      await applyOwned(client, object, { namespace: run.namespace, name: run.application });
    } catch (err) {
      // OwnershipRefused is a ClusterError that no retry heals: the target fails with KubeVela's words.
      if (!(err instanceof ClusterError)) throw err;
      throw new ApplyFailure(
        `failed to apply component ${resourceOwner(object)?.component ?? describeObject(object)} to cluster ${order.cluster}, namespace ${order.namespace}: ${err.message}`,
        err,
      );
    }
  };
  // Namespaces, then CRDs (until served), then everything else side by side: a round trip per phase, not per object.
  for (const phase of applyPhases(resources)) {
    await eachBounded(phase, objectsAppliedAtOnce, applyOne);
    await awaitEstablished(client, phase);
  }
}

/** Objects of one target applied side by side at most (each is a GET and a PATCH on the cluster's connection pool). */
const objectsAppliedAtOnce = 8;

/**
 * Every application applies with the same field manager and with force (drift correction must win over `kubectl
 * edit`), so server-side apply's conflicts cannot tell two applications apart: ownership is the OAM labels, as in
 * KubeVela. One GET first; the apply then carries the resourceVersion read, which server-side apply takes as a
 * precondition, so another application applying in between makes ours fail with 409 instead of taking its object
 * over, and we read again. (An object absent at the GET and created by someone else before our apply is the one gap:
 * closing it would need a create instead of an apply.)
 */
async function applyOwned(client: ClusterClient, object: KubernetesObject, app: ApplicationRef): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const live = await client.read(object);
    const ownership = applyOwnership(live, object, app);
    if (ownership.verdict === 'refuse') throw new OwnershipRefused(ownership.message);
    const resourceVersion = live?.metadata.resourceVersion;
    try {
      await client.apply(typeof resourceVersion !== 'string' ? object : { ...object, metadata: { ...object.metadata, resourceVersion } });
      return;
    } catch (err) {
      // Modified since our read (a controller's status write, most often): look again.
      if (err instanceof ClusterError && err.status === 409 && attempt < maxOwnershipAttempts) continue;
      throw err;
    }
  }
}

const maxOwnershipAttempts = 5;

/** The live object belongs to another application, or to none and the application did not take it over. */
class OwnershipRefused extends ClusterError {
  constructor(message: string) {
    super(message, { retryable: false });
    this.name = 'OwnershipRefused';
  }
}

/** The run (or its application) was stopped mid-apply: nothing was applied. */
export class Superseded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Superseded';
  }
}

/** Still wanted: the run is active and is its application's live run (both read strongly consistent, in one request). */
async function runIsLive(engine: Engine, run: RunRecord): Promise<boolean> {
  const read = await engine.store.orderReads.read({ runId: run.runId, application: { namespace: run.namespace, name: run.application } });
  if (read.run?.phase !== 'running' && read.run?.phase !== 'suspended') return false;
  return (read.liveRunId ?? run.runId) === run.runId;
}

/**
 * The run allowed to apply for the run's application. Runs started before live runs were recorded have none: they
 * count as live while active (a purged application's runs are all terminated, so they never get this far).
 */
export async function liveRunOf(engine: Engine, run: RunRecord): Promise<string> {
  return (await engine.store.runs.liveRun(run.namespace, run.application)) ?? run.runId;
}

/** The application was deleted and purged meanwhile: nobody else will ever look at the inventory just written. */
async function forgetIfOrphaned(engine: Engine, run: RunRecord, cluster: string): Promise<void> {
  if (await engine.store.applications.get(run.namespace, run.application)) return;
  const inventory = await engine.store.inventories.get(run.namespace, run.application, cluster, run.revision);
  if (inventory) await engine.store.inventories.remove(inventory);
}

async function finishTarget(engine: Engine, telemetry: Telemetry, order: TargetOrder, target: TargetRecord, outcome: TargetOutcome, step: StepState): Promise<DispatchOutcome> {
  const finishedAt = engine.now();
  const completion = await engine.store.targets.complete(order.runId, order.stepId, order, outcome, finishedAt);
  // A redelivery that finds the completion recorded already reports nothing: each target counts once.
  if (completion.recorded) {
    telemetry.count('TargetFinished', { outcome: outcome.phase });
    if (outcome.phase === 'succeeded') telemetry.duration('TimeToHealthy', { cluster: order.cluster }, millisecondsBetween(target.createdAt, finishedAt.toISOString()));
    telemetry.log(outcome.phase === 'failed' ? 'warn' : 'info', `target ${outcome.phase}`, outcome.message ? { reason: outcome.message } : {});
  }
  // Exactly one completion per step reports completedStep, so the planner is asked once (a redelivery asks nobody).
  // A rollout is also told of each cluster that finishes: the next cluster or wave waits on it.
  if (completion.completedStep || (completion.recorded && step.rollout)) await engine.queues.toPlanner([{ kind: 'advance', runId: order.runId }]);
  return { result: outcome.phase, message: outcome.message ?? '' };
}

async function noteProgress(engine: Engine, target: TargetRecord, message: string, detail: unknown): Promise<TargetRecord | undefined> {
  try {
    return await engine.store.targets.replace(
      { ...target, phase: 'applying', message, detail, attempts: target.attempts + 1, updatedAt: engine.now().toISOString() },
      target.version,
    );
  } catch (err) {
    // A concurrent finish or note won: that delivery carries the target on.
    if (err instanceof ConflictError) return undefined;
    throw err;
  }
}

async function noteRetry(engine: Engine, target: TargetRecord, message: string): Promise<void> {
  if (target.message === message) return;
  await engine.store.targets
    .replace({ ...target, phase: 'applying', message, updatedAt: engine.now().toISOString() }, target.version)
    .catch((err: unknown) => {
      // Best effort: whoever wrote in between has news of its own.
      if (!(err instanceof ConflictError)) throw err;
    });
}
