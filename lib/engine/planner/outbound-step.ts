import { ValidationError } from '../../core/errors/validation-error.ts';
import type { RunRecord, StepState } from '../../core/run/run.ts';
import { outboundContext, outboundPosts } from '../../core/workflow/outbound-posts.ts';
import { planStep } from '../../core/workflow/plan-workflow.ts';
import type { Engine } from '../context.ts';
import type { PlannerMessage } from '../messages/planner-message.ts';
import { retryOnConflict } from '../retry.ts';
import { sealOutboundPosts } from '../secrets/outbound-secrets.ts';
import { renderableApplication, type RunApplication } from './run-revision.ts';
import { replaceRun } from './run-telemetry.ts';
import type { StepStart } from './start-step.ts';

/**
 * Starts a notification or webhook step: its posts are built from the revision (its sealed URLs and keys opened),
 * sealed again for this run and step, and queued for the applier, which posts them. Nothing is sent from here:
 * the planner never waits on a third party's server.
 */
export async function startOutboundStep(engine: Engine, run: RunRecord, step: StepState, loaded: RunApplication): Promise<StepStart> {
  let planned;
  try {
    planned = planStep(await renderableApplication(engine, loaded), step.name, [], { revision: run.revisionName });
  } catch (error) {
    if (error instanceof ValidationError) return { outcome: 'invalid', message: error.message };
    throw error;
  }
  if (planned.type !== 'notification' && planned.type !== 'webhook') return { outcome: 'invalid', message: `step ${step.name} is not a notification or webhook step` };
  const posts = outboundPosts(planned, outboundContext(run, step.name));
  const request = await sealOutboundPosts(engine.cipher, run.runId, step.id, posts);
  await engine.queues.unordered({ kind: 'deliver', runId: run.runId, stepId: step.id, attempt: 0, done: [], request }, 0);
  return { outcome: 'dispatched', targets: posts.length };
}

/**
 * The applier's word on a step's posts: the step succeeds either way (a notification never fails the run), with a
 * message saying what was delivered or why not. Only a step still waiting for it takes it, so a duplicate changes nothing.
 */
export async function recordDelivery(engine: Engine, message: Extract<PlannerMessage, { kind: 'delivered' }>): Promise<boolean> {
  return retryOnConflict(async () => {
    const run = await engine.store.runs.get(message.runId);
    const step = run?.steps.find((s) => s.id === message.stepId);
    if (!run || !step || (run.phase !== 'running' && run.phase !== 'suspended')) return false;
    const suspended = step.phase === 'suspending' && step.finishedAt === undefined;
    if (step.phase !== 'running' && !suspended) return false;
    const at = engine.now().toISOString();
    // While the run is suspended the step keeps waiting with its outcome, and resume closes it (workflow-operations).
    const phase = suspended ? ('suspending' as const) : ('succeeded' as const);
    const steps = run.steps.map((s) => (s.id === step.id ? { ...s, phase, message: message.message, finishedAt: at } : s));
    await replaceRun(engine, run, { ...run, steps, updatedAt: at });
    return true;
  });
}
