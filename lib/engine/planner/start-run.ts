import { outlineWorkflow } from '../../core/workflow/plan-workflow.ts';
import type { PlannerMessage } from '../messages/planner-message.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import type { RunRecord } from '../../core/run/run.ts';
import { advanceRun, stepRules } from './advance-run.ts';
import type { Engine } from '../context.ts';
import { retryOnConflict } from '../retry.ts';
import { applicationOf } from './run-revision.ts';
import { terminated } from '../../core/run/run-state.ts';

type RunRequest = Extract<PlannerMessage, { kind: 'run' }>;

/**
 * Starts the workflow of one revision. A run already active for the application is superseded first: it is marked
 * terminated, so appliers drop its remaining messages (they check their run before acting). A redelivered request
 * finds the run it created and only advances it.
 */
export async function startRun(engine: Engine, request: RunRequest): Promise<RunRecord | undefined> {
  const { store } = engine;
  const existing = await store.runs.get(request.runId);
  if (existing) {
    await advanceRun(engine, existing.runId);
    return existing;
  }
  const application = await store.applications.get(request.namespace, request.name);
  if (!application || application.deleting) return undefined;
  const revision = await store.applications.getRevision(request.namespace, request.name, request.revision);
  if (!revision) return undefined;

  const now = engine.now();
  await supersedeActiveRuns(engine, request.namespace, request.name, `superseded by ${revision.revisionName}`);
  const app = applicationOf(revision);
  const outline = outlineWorkflow(app, { revision: revision.revisionName });
  const run: RunRecord = {
    runId: request.runId,
    namespace: request.namespace,
    application: request.name,
    revision: revision.revision,
    revisionName: revision.revisionName,
    mode: outline.mode,
    phase: 'running',
    steps: outline.steps.map((step) => ({ id: step.id, name: step.name, type: step.type, phase: 'pending', ...stepRules(engine, step) })),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  try {
    await store.runs.create(run);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
  // A delete may have begun between the check above and the create, and listed the runs to stop before this one
  // existed: looking again after the create closes that window (a delete that starts later lists this run).
  if ((await store.applications.get(request.namespace, request.name))?.deleting !== false) {
    await supersedeActiveRuns(engine, request.namespace, request.name, 'application deleted');
    return undefined;
  }
  await advanceRun(engine, run.runId, app);
  return run;
}

/** Terminates every running or suspended run of the application: the KubeVela rule when the spec changes mid-run. */
export async function supersedeActiveRuns(engine: Engine, namespace: string, name: string, message: string): Promise<void> {
  const runs = await engine.store.runs.listForApplication(namespace, name);
  for (const candidate of runs) {
    if (candidate.phase !== 'running' && candidate.phase !== 'suspended') continue;
    await retryOnConflict(async () => {
      const run = await engine.store.runs.get(candidate.runId);
      if (!run || (run.phase !== 'running' && run.phase !== 'suspended')) return;
      await engine.store.runs.replace(terminated(run, message, engine.now()), run.version);
    });
  }
}
