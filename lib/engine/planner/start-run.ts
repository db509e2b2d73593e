import { outlineWorkflow } from '../../core/workflow/plan-workflow.ts';
import type { PlannerMessage } from '../messages/planner-message.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import type { RunRecord } from '../../core/run/run.ts';
import { advanceRun, stepRules } from './advance-run.ts';
import { runTransitions, withHistory } from '../../core/run/run-events.ts';
import type { Engine } from '../context.ts';
import { retryOnConflict } from '../retry.ts';
import { runApplicationOf } from './run-revision.ts';
import { publishRunEvents, replaceRun } from './run-telemetry.ts';
import { runLogFields } from '../ports/telemetry.ts';
import { terminated } from '../../core/run/run-state.ts';

type RunRequest = Extract<PlannerMessage, { kind: 'run' }>;

/**
 * Starts the workflow of one revision. The newest run wins: a run becomes the application's live run only if no newer
 * run is live (run ids sort by creation), the run it displaces is terminated at once, and any other active run of the
 * application is superseded too, so appliers drop their remaining orders (they check their run and the live run
 * before acting). A redelivered request finds the run it created and only advances it.
 */
export async function startRun(engine: Engine, request: RunRequest): Promise<RunRecord | undefined> {
  const { store } = engine;
  const existing = await store.runs.get(request.runId);
  if (existing) {
    if (isActive(existing) && !(await goLive(engine, existing))) return existing;
    await advanceRun(engine, existing.runId);
    return existing;
  }
  const application = await store.applications.get(request.namespace, request.name);
  if (!application || application.deleting) return undefined;
  const revision = await store.applications.getRevision(request.namespace, request.name, request.revision);
  if (!revision) return undefined;

  const now = engine.now();
  const loaded = runApplicationOf(revision);
  const { app } = loaded;
  const outline = outlineWorkflow(app, { revision: revision.revisionName });
  const run: RunRecord = {
    runId: request.runId,
    namespace: request.namespace,
    application: request.name,
    revision: revision.revision,
    revisionName: revision.revisionName,
    mode: outline.mode,
    ...(request.clusters ? { clusters: [...request.clusters] } : {}),
    phase: 'running',
    steps: outline.steps.map((step) => ({ id: step.id, name: step.name, type: step.type, phase: 'pending', ...stepRules(engine, step) })),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  const started = runTransitions(undefined, run, { rollback: request.reason === 'rollback' });
  try {
    await store.runs.create(withHistory(run, started));
    engine.telemetry.log('info', `run started (${request.reason})`, runLogFields(run));
    await publishRunEvents(engine, started);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
  // A delete may have begun between the check above and the create, and listed the runs to stop before this one
  // existed: looking again after the create closes that window (a delete that starts later lists this run).
  if ((await store.applications.get(request.namespace, request.name))?.deleting !== false) {
    await supersedeActiveRuns(engine, request.namespace, request.name, 'application deleted');
    return undefined;
  }
  if (!(await goLive(engine, run))) return undefined;
  await advanceRun(engine, run.runId, loaded);
  return run;
}

const isActive = (run: RunRecord) => run.phase === 'running' || run.phase === 'suspended';

/**
 * Claims the live run for `run`; false when a newer run is live, and then `run` is terminated. The listing of active
 * runs comes from an eventually consistent index, so the displaced run is also terminated by its id.
 */
async function goLive(engine: Engine, run: RunRecord): Promise<boolean> {
  const claim = await engine.store.runs.claimLive(run.namespace, run.application, run.runId);
  if (!claim.claimed) {
    await terminateRun(engine, run.runId, `superseded by the newer run ${claim.live}`);
    return false;
  }
  const message = `superseded by ${run.revisionName}`;
  if (claim.displaced !== undefined) await terminateRun(engine, claim.displaced, message);
  await supersedeActiveRuns(engine, run.namespace, run.application, message, run.runId);
  return true;
}

/**
 * Terminates the running or suspended runs of the application (the KubeVela rule when the spec changes mid-run): all
 * of them for a deletion, or those older than `newest`. A newer run, even one not yet live, is never stopped by an
 * older one: it claims the live run itself.
 */
export async function supersedeActiveRuns(engine: Engine, namespace: string, name: string, message: string, newest?: string): Promise<void> {
  const runs = await engine.store.runs.listForApplication(namespace, name);
  for (const candidate of runs) {
    if ((newest !== undefined && candidate.runId >= newest) || !isActive(candidate)) continue;
    await terminateRun(engine, candidate.runId, message);
  }
}

async function terminateRun(engine: Engine, runId: string, message: string): Promise<void> {
  await retryOnConflict(async () => {
    const run = await engine.store.runs.get(runId);
    if (!run || !isActive(run)) return;
    await replaceRun(engine, run, terminated(run, message, engine.now()));
  });
}
