import type { TriggerRecord } from '../../lib/core/trigger/trigger-record.ts';
import type { CiEvent } from '../../lib/core/trigger/ci-event.ts';
import { deployImage, type DeployDependencies } from './deploy-image.ts';
import { matchEvent } from '../../lib/core/trigger/match-event.ts';
import type { DeliveryRecord } from '../../lib/core/trigger/delivery-record.ts';

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
 * id, and once per signed body when the event carries its digest: each is claimed with a conditional put first, and a
 * redelivery or a replay under a new id answers with what the first one did); an event that does not match is ignored
 * with the reason, and stores nothing.
 */
export async function handleDelivery(deps: DeployDependencies, trigger: TriggerRecord, event: CiEvent): Promise<DeliveryOutcome> {
  const match = matchEvent(trigger, event);
  if (!match.matched) return { outcome: 'ignored', reason: match.reason };
  const keys = [event.deliveryId, ...(event.bodyDigest === undefined ? [] : [event.bodyDigest])];
  const claimed: string[] = [];
  const releaseClaims = () => Promise.all(claimed.map((key) => deps.store.deliveries.release(trigger.id, key).catch(() => undefined)));
  for (const key of keys) {
    const claim = await deps.store.deliveries.claim(trigger.id, key, deps.now(), claimHoldSeconds);
    if (!claim.claimed) {
      // A replay's own id is given up again, so only the first delivery of the body is ever recorded as processed.
      await releaseClaims();
      return duplicateOf(key === event.deliveryId ? `delivery ${event.deliveryId}` : `its body (${key}, delivery ${event.deliveryId})`, claim.existing);
    }
    claimed.push(key);
  }
  try {
    const deployed = await deployImage(deps, trigger, match.image);
    const receivedAt = deps.now().toISOString();
    for (const key of keys) {
      await deps.store.deliveries.complete({ triggerId: trigger.id, deliveryId: key, receivedAt, ...deployed }, deps.now(), deliveryKeepSeconds);
    }
    return deployed;
  } catch (err) {
    // Let the sender's retry through: nothing was published, or what was is found again as `unchanged`.
    await releaseClaims();
    throw err;
  }
}

function duplicateOf(what: string, existing: DeliveryRecord): DeliveryOutcome {
  if (existing.state === 'processing') return { outcome: 'duplicate', reason: `${what} is being processed right now` };
  return {
    outcome: 'duplicate',
    reason: `${what} was processed at ${existing.receivedAt}`,
    revision: existing.revision,
    revisionNumber: existing.revisionNumber,
    image: existing.image,
  };
}
