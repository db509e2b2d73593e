import { deadlineOf, resumedStep, suspendedStep, terminated } from '../../core/run/run-state.ts';
import type { RunRecord } from '../../core/run/run.ts';
import { isOutboundStepType } from '../../core/workflow/notification-step.ts';
import { startOutboundStep } from './outbound-step.ts';
import { loadRunApplication } from './run-revision.ts';
import type { Engine } from '../context.ts';
import type { PlannerMessage } from '../messages/planner-message.ts';
import { retryOnConflict } from '../retry.ts';
import { makeCurrent, queueRun, requestRollback, WorkflowOperationError, type AcceptedOperation, type AppRef } from './revision-requests.ts';
import { advanceRun } from './advance-run.ts';
import { redispatchStep } from './start-step.ts';
import { replaceRun } from './run-telemetry.ts';

export { WorkflowOperationError, type AcceptedOperation, type AppRef };

export type WorkflowOperation = 'suspend' | 'resume' | 'terminate' | 'restart' | 'rollback';

type OperateMessage = Extract<PlannerMessage, { kind: 'operate' }>;

const isActive = (run: RunRecord) => run.phase === 'running' || run.phase === 'suspended';

/**
 * The API's half of `vela workflow ...`: checks that the operation applies to the workflow as it is now and queues it
 * for the planner, which alone writes runs. Refusals name the reason, as KubeVela's CLI does.
 */
export async function requestOperation(engine: Pick<Engine, 'store' | 'queues' | 'now'>, app: AppRef, operation: WorkflowOperation): Promise<AcceptedOperation> {
  const runs = await engine.store.runs.listForApplication(app.namespace, app.name);
  const latest = runs[0];
  if (operation === 'restart') {
    const application = await engine.store.applications.get(app.namespace, app.name);
    if (!application) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} not found`);
    return queueRun(engine, app, application.currentRevision, 'restart');
  }
  if (!latest) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} has no workflow run`);
  if (operation === 'rollback') return requestRollback(engine, app, runs);
  refuseUnlessApplies(latest, app.name, operation);
  await engine.queues.toPlanner([{ kind: 'operate', operation, runId: latest.runId }]);
  return { runId: latest.runId, revisionName: latest.revisionName };
}

/**
 * `vela up APP -r APP-vN`: runs the stored revision N again, from its first step. Like restart and rollback it is a
 * `run` request for the planner; the newest run wins, so one still running is superseded, as a new submit would. As
 * with rollback, N becomes current first, so what runs is what later submits are compared with.
 */
export async function requestRevisionRun(engine: Pick<Engine, 'store' | 'queues' | 'now'>, app: AppRef, revision: number): Promise<AcceptedOperation> {
  await makeCurrent(engine, app, revision);
  return queueRun(engine, app, revision, 'revision');
}

function refuseUnlessApplies(run: RunRecord, name: string, operation: OperateMessage['operation']): void {
  if (operation === 'resume') {
    if (run.phase !== 'suspended') throw new WorkflowOperationError(`workflow ${name} is not suspended.`);
    return;
  }
  if (operation === 'suspend' && run.phase === 'terminated') throw new WorkflowOperationError(`workflow ${name} is terminated, it cannot be suspended`);
  if (operation === 'suspend' && !isActive(run)) throw new WorkflowOperationError(`workflow ${name} has finished (${run.phase}), it cannot be suspended`);
  if (operation === 'terminate' && !isActive(run)) throw new WorkflowOperationError(`workflow ${name} is not running (${run.phase})`);
}

/**
 * The planner's half: the operation is applied to the run it was requested for. The run may have moved on since the
 * API looked (finished, superseded, suspended twice); then the operation no longer applies and changes nothing.
 */
export async function operateRun(engine: Engine, message: OperateMessage): Promise<string> {
  const changed = await retryOnConflict(async () => {
    const run = await engine.store.runs.get(message.runId);
    if (!run) return undefined;
    const next = operated(run, message.operation, engine.now());
    return next ? replaceRun(engine, run, next) : undefined;
  });
  if (!changed) return `${message.operation} of run ${message.runId}: no longer applies`;
  if (message.operation === 'resume') await redispatchResumed(engine, changed);
  const run = (await advanceRun(engine, changed.runId)) ?? changed;
  return `${message.operation} of run ${run.runId}: ${run.phase}`;
}

/** `vela workflow suspend|resume|terminate` as a run transition, or undefined where it does not apply. */
function operated(run: RunRecord, operation: OperateMessage['operation'], now: Date): RunRecord | undefined {
  const at = now.toISOString();
  switch (operation) {
    case 'suspend': {
      // Running steps become suspending: their pending orders are held back until resume sends them again. A
      // notification or webhook post in flight goes on; its outcome is kept on the suspended step (recordDelivery).
      if (run.phase !== 'running') return undefined;
      const steps = run.steps.map((s) => (s.phase === 'running' ? suspendedStep(s, now) : s));
      return { ...run, phase: 'suspended', steps, updatedAt: at };
    }
    case 'resume': {
      // Suspend steps succeed, held deploy steps run again (their deadlines moved out by the time suspended), and the
      // workflow moves on.
      if (run.phase !== 'suspended') return undefined;
      const steps = run.steps.map((s) => {
        if (s.phase !== 'suspending') return s;
        // A notification or webhook step whose outcome came in while suspended is done; one without is posted again.
        if (isOutboundStepType(s.type) && s.finishedAt !== undefined) return { ...s, phase: 'succeeded' as const };
        return s.type === 'suspend' ? { ...s, phase: 'succeeded' as const, finishedAt: at } : resumedStep(s, now);
      });
      return { ...run, phase: 'running', steps, updatedAt: at };
    }
    case 'terminate':
      // Running and suspending steps fail with the reason; orders still queued are dropped by the appliers.
      return isActive(run) ? terminated(run, 'terminated by user', now) : undefined;
  }
}

/** A resumed deploy step's open targets get their apply orders again, with the objects rendered when it started. */
async function redispatchResumed(engine: Engine, run: RunRecord): Promise<void> {
  const outbound = run.steps.filter((s) => isOutboundStepType(s.type) && s.phase === 'running');
  const loaded = outbound.length > 0 ? await loadRunApplication(engine, run) : undefined;
  for (const step of loaded ? outbound : []) await startOutboundStep(engine, run, step, loaded!);
  for (const step of run.steps.filter((s) => s.type === 'deploy' && s.phase === 'running')) {
    const timeoutSeconds = step.timeoutSeconds ?? engine.settings.defaultStepTimeoutSeconds;
    await redispatchStep(engine, run, step, deadlineOf(step, { dependsOn: [], timeoutSeconds }, timeoutSeconds));
  }
}
