import type { TriggerRecord } from '../../lib/core/trigger/trigger-record.ts';
import type { CiEvent } from '../../lib/core/trigger/ci-event.ts';
import { deployImage, type DeployDependencies } from './deploy-image.ts';
import { matchEvent } from '../../lib/core/trigger/match-event.ts';

/** How long a claim holds while its revision is made; a claimant that crashed frees the delivery after this. */
export const claimHoldSeconds = 120;
/** How long a processed delivery is remembered: GitHub and GitLab let people redeliver for days. */
export const deliveryKeepSeconds = 7 * 24 * 3600;

export type DeliveryOutcome =
  | { outcome: 'deployed' | 'unchanged'; revision: string; revisionNumber: number; image: string }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'duplicate'; reason: string; revision?: string | undefined; revisionNumber?: number | undefined; image?: string | undefined };

/**
 * One event for one trigger: a matching event publishes a revision with the component's image set (once per delivery
 * id: the delivery is claimed with a conditional put first, and a redelivery answers with what the first one did); an
 * event that does not match is ignored with the reason, and stores nothing.
 */
export async function handleDelivery(deps: DeployDependencies, trigger: TriggerRecord, event: CiEvent): Promise<DeliveryOutcome> {
  const match = matchEvent(trigger, event);
  if (!match.matched) return { outcome: 'ignored', reason: match.reason };
  const claim = await deps.store.deliveries.claim(trigger.id, event.deliveryId, deps.now(), claimHoldSeconds);
  if (!claim.claimed) {
    const { existing } = claim;
    if (existing.state === 'processing') return { outcome: 'duplicate', reason: `delivery ${event.deliveryId} is being processed right now` };
    return {
      outcome: 'duplicate',
      reason: `delivery ${event.deliveryId} was processed at ${existing.receivedAt}`,
      revision: existing.revision,
      revisionNumber: existing.revisionNumber,
      image: existing.image,
    };
  }
  try {
    const deployed = await deployImage(deps, trigger, match.image);
    const receivedAt = deps.now().toISOString();
    await deps.store.deliveries.complete({ triggerId: trigger.id, deliveryId: event.deliveryId, receivedAt, ...deployed }, deps.now(), deliveryKeepSeconds);
    return deployed;
  } catch (err) {
    // Let the sender's retry through: nothing was published, or what was is found again as `unchanged`.
    await deps.store.deliveries.release(trigger.id, event.deliveryId).catch(() => undefined);
    throw err;
  }
}
