import { revisionNameOf } from '../../core/application/revision-name.ts';
import type { RunRecord } from '../../core/run/run.ts';
import type { Engine } from '../context.ts';
import { runRequest } from '../messages/planner-message.ts';
import { retryOnConflict } from '../retry.ts';

/** A workflow operation that does not apply to the workflow as it is (HTTP 409, CLI exit 1). */
export class WorkflowOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowOperationError';
  }
}

export interface AppRef {
  namespace: string;
  name: string;
}

/** The run an accepted operation acts on (suspend, resume, terminate) or starts (restart, rollback). */
export interface AcceptedOperation {
  runId: string;
  revisionName: string;
}

type Requester = Pick<Engine, 'store' | 'queues' | 'now'>;

const isActive = (run: RunRecord) => run.phase === 'running' || run.phase === 'suspended';

/**
 * `vela workflow rollback`: back to the newest revision older than the latest run's whose workflow succeeded, which
 * becomes current and runs. Refused while a workflow is running, as in KubeVela. A rollout whose wave failed with
 * `onFailure: rollback` asks for it too, once the planner has failed its run. `runs` are the application's, newest first.
 */
export async function requestRollback(engine: Requester, app: AppRef, runs: readonly RunRecord[], options: { clusters?: readonly string[] } = {}): Promise<AcceptedOperation> {
  const latest = runs[0];
  if (!latest) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} has no workflow run`);
  if (isActive(latest)) throw new WorkflowOperationError(`workflow ${app.name} is still running; suspend or terminate it before rolling back`);
  // Back means older: the newest succeeded revision before the latest run's (KubeVela deletes the newer ones).
  const target = runs.find((r) => r.phase === 'succeeded' && r.revision < latest.revision);
  if (!target) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} has no earlier succeeded revision to roll back to`);
  await makeCurrent(engine, app, target.revision);
  return queueRun(engine, app, target.revision, 'rollback', options.clusters);
}

/**
 * The revision becomes current before its run is queued, as a submit's does: later submits are compared with it, and
 * restarts, triggers and cluster-change re-runs start from it instead of a newer one.
 */
export async function makeCurrent(engine: Pick<Engine, 'store' | 'now'>, app: AppRef, revision: number): Promise<void> {
  await retryOnConflict(async () => {
    const application = await engine.store.applications.get(app.namespace, app.name);
    if (!application || application.deleting) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} is being deleted`);
    if (application.currentRevision === revision) return;
    await engine.store.applications.rollBack(app.namespace, app.name, revision, application.version, engine.now());
  });
}

export async function queueRun(engine: Pick<Engine, 'queues' | 'now'>, app: AppRef, revision: number, reason: 'restart' | 'rollback' | 'revision', clusters?: readonly string[]): Promise<AcceptedOperation> {
  const request = runRequest({ ...app, revision, reason, ...(clusters ? { clusters: [...clusters] } : {}) }, engine.now());
  await engine.queues.toPlanner([request]);
  return { runId: request.runId, revisionName: revisionNameOf(app.name, revision) };
}
