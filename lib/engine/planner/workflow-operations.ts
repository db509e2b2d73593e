import type { Engine } from '../context.ts';
import { retryOnConflict } from '../retry.ts';
import { runApplication } from './run-revision.ts';
import { deadlineOf } from '../../core/run/run-state.ts';
import { redispatchStep } from './start-step.ts';
import { terminated } from '../../core/run/run-state.ts';
import { advanceRun } from './advance-run.ts';
import { newRunId, type RunRecord } from '../../core/run/run.ts';
import { outlineWorkflow } from '../../core/workflow/plan-workflow.ts';

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

async function latestRun(engine: Engine, app: AppRef): Promise<RunRecord> {
  const [run] = await engine.store.runs.listForApplication(app.namespace, app.name);
  if (!run) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} has no workflow run`);
  return run;
}

/** `vela workflow suspend`: running steps become suspending, and their pending orders are held back. */
export async function suspendWorkflow(engine: Engine, app: AppRef): Promise<RunRecord> {
  return retryOnConflict(async () => {
    const run = await latestRun(engine, app);
    if (run.phase === 'terminated') throw new WorkflowOperationError(`workflow ${app.name} is terminated, it cannot be suspended`);
    if (run.phase === 'succeeded' || run.phase === 'failed') throw new WorkflowOperationError(`workflow ${app.name} has finished (${run.phase}), it cannot be suspended`);
    if (run.phase === 'suspended') return run;
    const steps = run.steps.map((s) => (s.phase === 'running' ? { ...s, phase: 'suspending' as const } : s));
    return engine.store.runs.replace({ ...run, phase: 'suspended', steps, updatedAt: engine.now().toISOString() }, run.version);
  });
}

/** `vela workflow resume`: suspend steps succeed, held deploy steps run again, and the workflow moves on. */
export async function resumeWorkflow(engine: Engine, app: AppRef): Promise<RunRecord> {
  const resumed = await retryOnConflict(async () => {
    const run = await latestRun(engine, app);
    if (run.phase !== 'suspended') throw new WorkflowOperationError(`workflow ${app.name} is not suspended.`);
    const at = engine.now().toISOString();
    const steps = run.steps.map((s) => {
      if (s.phase !== 'suspending') return s;
      return s.type === 'suspend' ? { ...s, phase: 'succeeded' as const, finishedAt: at } : { ...s, phase: 'running' as const };
    });
    return engine.store.runs.replace({ ...run, phase: 'running', steps, updatedAt: at }, run.version);
  });
  const { app: application } = await runApplication(engine, resumed);
  const outline = outlineWorkflow(application, { revision: resumed.revisionName });
  for (const step of resumed.steps.filter((s) => s.type === 'deploy' && s.phase === 'running')) {
    const timeoutSeconds = outline.steps.find((o) => o.name === step.name)?.timeoutSeconds ?? engine.settings.defaultStepTimeoutSeconds;
    await redispatchStep(engine, resumed, step, application, deadlineOf(step, { dependsOn: [], timeoutSeconds }, timeoutSeconds));
  }
  return (await advanceRun(engine, resumed.runId)) ?? resumed;
}

/** `vela workflow terminate`: running and suspending steps fail with the reason; orders still queued are dropped. */
export async function terminateWorkflow(engine: Engine, app: AppRef): Promise<RunRecord> {
  return retryOnConflict(async () => {
    const run = await latestRun(engine, app);
    if (run.phase !== 'running' && run.phase !== 'suspended') throw new WorkflowOperationError(`workflow ${app.name} is not running (${run.phase})`);
    return engine.store.runs.replace(terminated(run, 'terminated by user', engine.now()), run.version);
  });
}

/** `vela workflow restart`: a fresh run of the current revision (the old one, if active, is superseded). */
export async function restartWorkflow(engine: Engine, app: AppRef): Promise<{ runId: string; revision: number }> {
  const application = await engine.store.applications.get(app.namespace, app.name);
  if (!application) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} not found`);
  const runId = newRunId(engine.now());
  await engine.queues.toPlanner([{ kind: 'run', runId, namespace: app.namespace, name: app.name, revision: application.currentRevision, reason: 'restart' }]);
  return { runId, revision: application.currentRevision };
}

/**
 * `vela workflow rollback`: runs the newest revision whose workflow succeeded, other than the revision of the latest run.
 * Refused while a workflow is running, as in KubeVela.
 */
export async function rollbackWorkflow(engine: Engine, app: AppRef): Promise<{ runId: string; revision: number }> {
  const runs = await engine.store.runs.listForApplication(app.namespace, app.name);
  const latest = runs[0];
  if (!latest) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} has no workflow run`);
  if (latest.phase === 'running' || latest.phase === 'suspended') {
    throw new WorkflowOperationError(`workflow ${app.name} is still running; suspend or terminate it before rolling back`);
  }
  const target = runs.find((r) => r.phase === 'succeeded' && r.revision !== latest.revision);
  if (!target) throw new WorkflowOperationError(`application ${app.namespace}/${app.name} has no earlier succeeded revision to roll back to`);
  const runId = newRunId(engine.now());
  await engine.queues.toPlanner([{ kind: 'run', runId, namespace: app.namespace, name: app.name, revision: target.revision, reason: 'rollback' }]);
  return { runId, revision: target.revision };
}
