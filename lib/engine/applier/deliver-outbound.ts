import { signatureHeader, signBody, timestampHeader } from '../../core/workflow/webhook-signature.ts';
import type { Engine } from '../context.ts';
import type { ApplierMessage } from '../messages/applier-message.ts';
import { OutboundError, type OutboundRequest } from '../ports/outbound.ts';
import { openOutboundPosts, targetPostsStep, type OutboundPost } from '../secrets/outbound-secrets.ts';
import { retryOnConflict } from '../retry.ts';

type Deliver = Extract<ApplierMessage, { kind: 'deliver' }>;

/** Tries per post: the first and three retries, 1, 2 and 4 s apart, each through the delay queue. */
export const maxDeliveryAttempts = 4;

/**
 * Posts a notification or webhook step's requests. A retryable failure (the network, a timeout, 429, 5xx) is tried
 * again later through the delay queue, without the posts already delivered; then the planner is told the outcome,
 * which closes the step. Nothing here fails a run. Messages name the host and the status, never the URL (a Slack
 * webhook's path is its token) nor the key.
 */
export async function deliverOutbound(engine: Engine, message: Deliver): Promise<string> {
  if (message.target !== undefined) return deliverToTarget(engine, message, message.target);
  const stepId = message.stepId;
  if (stepId === undefined) return 'dropped (a deliver message names neither a step nor a target)';
  const run = await engine.store.runs.get(message.runId);
  const step = run?.steps.find((s) => s.id === stepId);
  // A suspended run's post goes on (there is nothing to hold back); a finished or terminated one's is dropped.
  const waiting = step !== undefined && (step.phase === 'running' || (step.phase === 'suspending' && step.finishedAt === undefined));
  if (!run || !step || !waiting || (run.phase !== 'running' && run.phase !== 'suspended')) return `${stepId}: dropped (the step is no longer running)`;
  const outcome = await postAll(engine, message, stepId);
  if (outcome.retrying) return `${step.name}: ${outcome.summary}`;
  const { summary, failures } = outcome;
  await engine.queues.toPlanner([{ kind: 'delivered', runId: message.runId, stepId, delivered: failures.length === 0, message: summary }]);
  if (failures.length > 0) engine.telemetry.log('warn', 'notification not delivered', { runId: run.runId, step: step.name, reason: summary });
  return `${step.name}: ${summary}`;
}

type PostOutcome = { retrying: true; summary: string } | { retrying: false; summary: string; failures: { index: number; error: OutboundError }[] };

/** Posts what earlier attempts did not deliver; a retryable failure queues the next attempt, delayed 1, 2, 4 s. */
async function postAll(engine: Engine, message: Deliver, sealedFor: string): Promise<PostOutcome> {
  const posts = await openOutboundPosts(engine.cipher, message.runId, sealedFor, message.request);
  const done = new Set(message.done);
  const failures: { index: number; error: OutboundError }[] = [];
  for (const [index, post] of posts.entries()) {
    if (done.has(index)) continue;
    try {
      await engine.outbound.post(signed(post, engine.now()));
      done.add(index);
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      failures.push({ index, error });
    }
  }
  const retry = failures.some((failure) => failure.error.retryable) && message.attempt + 1 < maxDeliveryAttempts;
  if (retry) {
    await engine.queues.unordered({ ...message, attempt: message.attempt + 1, done: [...done] }, 2 ** message.attempt);
    return { retrying: true, summary: `attempt ${message.attempt + 1} failed (${failures.map((f) => f.error.message).join('; ')}), retrying` };
  }
  return { retrying: false, summary: describe(posts, done, failures, message.attempt + 1), failures };
}

/** Run events to the application's notification target; the outcome is recorded on the target (`flotilla notify get`). */
async function deliverToTarget(engine: Engine, message: Deliver, target: { namespace: string; application: string }): Promise<string> {
  const outcome = await postAll(engine, message, targetPostsStep);
  const where = `${target.namespace}/${target.application} notification target`;
  if (outcome.retrying) return `${where}: ${outcome.summary}`;
  const lastDelivery = { at: engine.now().toISOString(), delivered: outcome.failures.length === 0, message: outcome.summary };
  await retryOnConflict(async () => {
    const record = await engine.store.notificationTargets.get(target.namespace, target.application);
    if (record === undefined) return;
    await engine.store.notificationTargets.replace({ ...record, lastDelivery, updatedAt: lastDelivery.at }, record.version);
  });
  if (!lastDelivery.delivered) engine.telemetry.log('warn', 'notification not delivered', { runId: message.runId, namespace: target.namespace, application: target.application, reason: outcome.summary });
  return `${where}: ${outcome.summary}`;
}

function signed(post: OutboundPost, now: Date): OutboundRequest {
  if (post.secret === undefined) return { url: post.url, body: post.body, headers: {} };
  const timestamp = Math.floor(now.getTime() / 1000);
  return { url: post.url, body: post.body, headers: { [timestampHeader]: String(timestamp), [signatureHeader]: signBody(post.secret, timestamp, post.body) } };
}

function describe(posts: OutboundPost[], done: ReadonlySet<number>, failures: { index: number; error: OutboundError }[], attempts: number): string {
  const delivered = posts.filter((_, index) => done.has(index)).map((post) => post.channel);
  const parts = delivered.length > 0 ? [`delivered to ${delivered.join(' and ')}`] : [];
  for (const { index, error } of failures) parts.push(`not delivered to ${posts[index]!.channel} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${error.message}`);
  return parts.join('; ');
}
