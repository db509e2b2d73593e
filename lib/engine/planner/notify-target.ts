import { targetBody } from '../../core/notify/event-messages.ts';
import { notificationTargetContext } from '../../core/notify/notification-target.ts';
import type { RunEvent } from '../../core/run/run-events.ts';
import type { Engine } from '../context.ts';
import { applicationSecretsPurpose } from '../secrets/application-secrets.ts';
import { sealOutboundPosts, targetPostsStep } from '../secrets/outbound-secrets.ts';

/**
 * Queues a run's transitions for the application's notification target, if it has one: the planner opens the
 * target's URL and key (sealed by the API under the revisions' purpose, which the planner may open) and seals the post
 * for the applier, which makes it. Nothing is posted from the planner.
 */
export async function queueTargetNotification(engine: Engine, events: readonly RunEvent[]): Promise<void> {
  const first = events[0];
  if (first === undefined) return;
  const target = await engine.store.notificationTargets.get(first.namespace, first.application);
  if (target === undefined) return;
  const context = notificationTargetContext(applicationSecretsPurpose, target.namespace, target.application);
  const open = async (sealed: typeof target.url) => {
    const bytes = await engine.cipher.open(sealed, context);
    try {
      return bytes.toString('utf8');
    } finally {
      bytes.fill(0);
    }
  };
  const url = await open(target.url);
  const secret = target.secret === undefined ? undefined : await open(target.secret);
  const post = { channel: target.channel, url, body: targetBody(target.channel, events), ...(secret === undefined ? {} : { secret }) };
  const request = await sealOutboundPosts(engine.cipher, first.runId, targetPostsStep, [post]);
  await engine.queues.unordered({ kind: 'deliver', runId: first.runId, target: { namespace: target.namespace, application: target.application }, attempt: 0, done: [], request }, 0);
}
