import { createHash } from 'node:crypto';
import type { ApplicationRecord } from '../../core/application/application-record.ts';
import { deadlineOf } from '../../core/run/run-state.ts';
import type { RunRecord } from '../../core/run/run.ts';
import type { TargetRecord } from '../../core/run/target.ts';
import type { Engine } from '../context.ts';
import type { RunRequest } from '../messages/planner-message.ts';
import { orderRunOf } from '../messages/applier-message.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import type { ApplyOrRemove } from '../ports/work-queues.ts';
import { runLogFields } from '../ports/telemetry.ts';
import { releasedTargets } from './rollout-step.ts';

export interface SweepSummary {
  runsStarted: number;
  runsAdvanced: number;
  ordersResent: number;
  deletesResumed: number;
  /** Garbage collections asked again because a removal that met its cluster down fell due. */
  collectionsResumed: number;
}

/**
 * Nothing may wait on a message that was lost. On a schedule (and, with `recover`, when the local runtime starts with
 * its in-memory queues empty) the planner looks at every application:
 * - a current revision that no run was started for (its run request was lost) gets its run;
 * - every active run is advanced, so its deadlines are enforced even if its wake-up was lost;
 * - an open target with no news for `orderLostAfterSeconds` has lost its order (dead-lettered, or gone with the
 *   queue): the order is sent again with the objects recorded for the target, and status says so;
 * - a deletion whose re-check was lost goes on;
 * - a garbage collection whose removal stepped aside from a cluster that was down is asked again once it is due.
 * With `recover` every open target's order is sent again at once, since nothing was in flight.
 */
export async function sweep(engine: Engine, options: { recover: boolean }): Promise<SweepSummary> {
  const { store } = engine;
  const now = engine.now();
  const lostBefore = now.getTime() - (options.recover ? 0 : engine.settings.orderLostAfterSeconds * 1000);
  const summary: SweepSummary = { runsStarted: 0, runsAdvanced: 0, ordersResent: 0, deletesResumed: 0, collectionsResumed: 0 };
  for (const application of await store.applications.listAll()) {
    if (application.deleting) {
      if (Date.parse(application.updatedAt) <= lostBefore) {
        await engine.queues.toPlanner([{ kind: 'delete', namespace: application.namespace, name: application.name, force: false }]);
        summary.deletesResumed++;
      }
      continue;
    }
    const runs = await store.runs.listForApplication(application.namespace, application.name);
    const unstarted = await unstartedRun(engine, application, runs[0], lostBefore);
    if (unstarted) {
      await engine.queues.toPlanner([unstarted]);
      summary.runsStarted++;
    }
    for (const run of runs.filter((r) => r.phase === 'running' || r.phase === 'suspended')) {
      await engine.queues.toPlanner([{ kind: 'advance', runId: run.runId }]);
      summary.runsAdvanced++;
      if (run.phase === 'running') summary.ordersResent += await resendLostOrders(engine, run, lostBefore);
    }
    if (runs[0]?.phase === 'succeeded' && (await removalDue(engine, application, now))) {
      await engine.queues.toPlanner([{ kind: 'collect', namespace: application.namespace, name: application.name, runId: runs[0].runId }]);
      summary.collectionsResumed++;
    }
  }
  return summary;
}

/** A garbage-collection removal stepped aside from a cluster that was down and its next attempt is due. */
async function removalDue(engine: Engine, application: ApplicationRecord, now: Date): Promise<boolean> {
  const inventories = await engine.store.inventories.listForApplication(application.namespace, application.name);
  return inventories.some((i) => i.removalRetryAt !== undefined && Date.parse(i.removalRetryAt) <= now.getTime());
}

/**
 * The run request of a current revision created before `lostBefore` with no run started since (the request was lost
 * with its queue). Its id is derived from the revision, so sweeps that overlap ask for the same run.
 */
async function unstartedRun(engine: Engine, application: ApplicationRecord, latest: RunRecord | undefined, lostBefore: number): Promise<RunRequest | undefined> {
  const revision = await engine.store.applications.getRevision(application.namespace, application.name, application.currentRevision);
  if (!revision || Date.parse(revision.createdAt) > lostBefore) return undefined;
  if (latest && latest.createdAt >= revision.createdAt) return undefined;
  const { namespace, name } = application;
  return { kind: 'run', runId: recoveredRunId(revision.createdAt, `${namespace}/${name}/${revision.revision}`), namespace, name, revision: revision.revision, reason: 'submit' };
}

/** Sorts like a run id minted when the revision was stored (newRunId), with a suffix fixed by the revision. */
function recoveredRunId(createdAt: string, revisionKey: string): string {
  const time = Date.parse(createdAt).toString(36).padStart(10, '0');
  return `${time}${createHash('sha256').update(revisionKey).digest('hex').slice(0, 10)}`;
}

async function resendLostOrders(engine: Engine, run: RunRecord, lostBefore: number): Promise<number> {
  const orders: ApplyOrRemove[] = [];
  const at = engine.now().toISOString();
  for (const step of run.steps.filter((s) => s.type === 'deploy' && s.phase === 'running')) {
    const timeoutSeconds = step.timeoutSeconds ?? engine.settings.defaultStepTimeoutSeconds;
    const deadline = deadlineOf(step, { dependsOn: [], timeoutSeconds }, timeoutSeconds).toISOString();
    // A rollout's held targets (waves not started) have no order to lose.
    for (const target of releasedTargets(step, await engine.store.targets.listForStep(run.runId, step.id))) {
      if (!isLost(target, lostBefore) || !target.payload) continue;
      const noted = await noteResent(engine, target, at);
      if (!noted) continue;
      const { cluster, namespace } = target;
      engine.telemetry.log('warn', 'order lost, sent again', { ...runLogFields(run, step), cluster, targetNamespace: namespace, lastNews: target.updatedAt });
      orders.push({ kind: 'apply', runId: run.runId, stepId: step.id, of: orderRunOf(run), cluster, namespace, createNamespace: target.createNamespace ?? false, deadline, payload: target.payload });
    }
  }
  await engine.queues.toApplier(orders);
  if (orders.length > 0) engine.telemetry.count('OrdersLost', {}, orders.length);
  return orders.length;
}

const isLost = (target: TargetRecord, lostBefore: number) =>
  (target.phase === 'pending' || target.phase === 'applying') && Date.parse(target.updatedAt) <= lostBefore;

/** Status shows that the order was lost and sent again; the write also keeps a concurrent sweep from sending it twice. */
async function noteResent(engine: Engine, target: TargetRecord, at: string): Promise<boolean> {
  const news = target.message?.replace(/^order lost, sent again at \S+ \(last news: (.*)\)$/, '$1').replace(/^order lost, sent again at \S+$/, '');
  const message = `order lost, sent again at ${at}${news ? ` (last news: ${news})` : ''}`;
  try {
    await engine.store.targets.replace({ ...target, message, updatedAt: at }, target.version);
    return true;
  } catch (err) {
    if (err instanceof ConflictError) return false;
    throw err;
  }
}
