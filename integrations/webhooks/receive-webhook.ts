import type { TriggerRecord } from '../../lib/core/trigger/trigger-record.ts';
import type { ReadDelivery } from '../../lib/core/trigger/ci-event.ts';
import type { DeployDependencies } from '../triggers/deploy-image.ts';
import { handleDelivery, type DeliveryOutcome } from '../triggers/handle-delivery.ts';
import { openTriggerSecret } from '../triggers/trigger-secret.ts';
import type { WebhookSource } from '../../lib/core/trigger/trigger-rule.ts';
import { genericSignature, readGenericDelivery } from './generic.ts';
import { readGitHubDelivery, verifyGitHub } from './github.ts';
import { readGitLabDelivery, verifyGitLab } from './gitlab.ts';
import { timestampedSignatureOf, verifyTimestamped, type Verified } from './signature.ts';
import { bodyDigest, type WebhookRequest } from './webhook-request.ts';

export type WebhookDependencies = DeployDependencies;

export type WebhookResult =
  | { kind: 'unknown-trigger'; message: string }
  | { kind: 'unauthenticated'; reason: string }
  | { kind: 'handled'; trigger: TriggerRecord; deliveryId: string | undefined; outcome: DeliveryOutcome };

interface Provider {
  verify(secret: Buffer, request: WebhookRequest, now: Date): Verified;
  read(request: WebhookRequest): ReadDelivery;
  /** Timestamped schemes: the signature the replay guard remembers, and for how long. */
  replay?: { signature(request: WebhookRequest): string | undefined; windowSeconds: number };
  /** The delivery id is not signed, so the signed body is de-duplicated as well (handleDelivery). */
  dedupeBody?: boolean;
}

const providers: Record<WebhookSource, Provider> = {
  github: { verify: verifyGitHub, read: readGitHubDelivery, dedupeBody: true },
  gitlab: { verify: verifyGitLab, read: readGitLabDelivery },
  generic: {
    verify: (secret, request, now) => verifyTimestamped(genericSignature, secret, request, now),
    read: readGenericDelivery,
    replay: { signature: (request) => timestampedSignatureOf(genericSignature, request.headers), windowSeconds: genericSignature.windowSeconds },
  },
};

/**
 * A webhook delivery to `/hooks/<source>/<triggerId>`: the trigger is found first (its secret must be known before the
 * body is read), the provider's signature is verified with that secret, a timestamped signature is claimed against
 * replays, and only then is the body read and matched. Nothing is stored for a request that does not verify.
 */
export async function receiveWebhook(deps: WebhookDependencies, source: WebhookSource, triggerId: string, request: WebhookRequest): Promise<WebhookResult> {
  const trigger = await deps.store.triggers.get(triggerId);
  if (trigger === undefined) return { kind: 'unknown-trigger', message: `no trigger ${triggerId}` };
  if (trigger.source !== source) {
    return { kind: 'unknown-trigger', message: `trigger ${triggerId} is a ${trigger.source} trigger${trigger.source === 'eventbridge' ? ', fed by EventBridge' : `; its URL ends in /hooks/${trigger.source}/${triggerId}`}` };
  }
  if (trigger.secret === undefined) return { kind: 'unauthenticated', reason: `trigger ${triggerId} has no secret to verify with` };
  const provider = providers[source];
  const secret = await openTriggerSecret(deps.cipher, trigger.id, trigger.secret);
  let verified: Verified;
  try {
    verified = provider.verify(secret, request, deps.now());
  } finally {
    secret.fill(0);
  }
  if (!verified.ok) return { kind: 'unauthenticated', reason: verified.reason };
  if (provider.replay !== undefined) {
    const signature = provider.replay.signature(request) ?? '';
    const expiresAt = new Date(deps.now().getTime() + 2 * provider.replay.windowSeconds * 1000);
    const first = await deps.store.deliveries.rememberSignature(`${source}#${trigger.id}`, signature, deps.now(), expiresAt);
    if (!first) return { kind: 'unauthenticated', reason: 'this signature was used before: a replayed request' };
  }
  const read = provider.read(request);
  if (read.kind === 'ignored') return { kind: 'handled', trigger, deliveryId: undefined, outcome: { outcome: 'ignored', reason: read.reason } };
  const event = provider.dedupeBody ? { ...read.event, bodyDigest: `sha256:${bodyDigest(request)}` } : read.event;
  return { kind: 'handled', trigger, deliveryId: event.deliveryId, outcome: await handleDelivery(deps, trigger, event) };
}
