import * as z from 'zod';
import { parseWith } from '../../lib/core/errors/zod-issues.ts';
import { commitVariables, shortSha, type CiEvent, type ReadDelivery } from '../../lib/core/trigger/ci-event.ts';
import { timestampedSignatureOf, type TimestampedScheme } from './signature.ts';
import { deliveryIdFrom, payloadOf, type WebhookRequest } from './webhook-request.ts';

// Flotilla's own webhook for any CI: HMAC-SHA256 under the trigger's secret over `<timestamp>.<body>`, hex, in
// X-Flotilla-Signature: sha256=<hex>, with the Unix time in X-Flotilla-Timestamp. Requests more than five minutes
// away from the server's clock are refused, and a signature seen within that window is refused again (a replay).
// docs/triggers.md shows how to send one with curl and openssl.

export const genericHeaders = {
  signature: 'x-flotilla-signature',
  timestamp: 'x-flotilla-timestamp',
  delivery: 'x-flotilla-delivery',
} as const;

export const genericSignature: TimestampedScheme = {
  signatureName: 'X-Flotilla-Signature',
  signatureHeader: genericHeaders.signature,
  timestampHeader: genericHeaders.timestamp,
  prefix: 'sha256=',
  windowSeconds: 300,
  signed: (timestamp, body) => [timestamp, '.', body],
  covers: '<timestamp>.<body>',
};

const sha = z.string().regex(/^[0-9a-f]{40}$/, { error: 'must be a full commit SHA (40 hex digits)' });
const name = z.string().min(1).max(255);

/** The generic webhook's body: one event, stated plainly. */
export const GenericEvent = z.discriminatedUnion('event', [
  z.strictObject({ event: z.literal('push'), branch: name, sha, repository: name.optional() }),
  z.strictObject({ event: z.literal('tag'), tag: name, sha: sha.optional(), repository: name.optional() }),
  z.strictObject({ event: z.literal('image'), image: z.string().min(1).max(512), tag: name.optional(), digest: name.optional(), sha: sha.optional(), repository: name.optional() }),
]);
export type GenericEvent = z.infer<typeof GenericEvent>;

/** Reads a verified generic delivery; its id is X-Flotilla-Delivery, or the signature when the sender sets none. */
export function readGenericDelivery(request: WebhookRequest): ReadDelivery {
  const deliveryId = deliveryIdFrom(request, genericHeaders.delivery) ?? timestampedSignatureOf(genericSignature, request.headers) ?? '';
  const body = parseWith(GenericEvent, payloadOf(request), '');
  // Each kind states some of these; what it states goes into the subject and the variables as it is.
  const { event: kind, branch, tag, image, digest, sha, repository } = body as { event: GenericEvent['event'] } & Partial<Record<'branch' | 'tag' | 'image' | 'digest' | 'sha' | 'repository', string>>;
  const stated = (values: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const summaries = { push: `push of ${shortSha(sha ?? '')} to branch ${branch}`, tag: `tag ${tag}`, image: `image ${image}` };
  const event: CiEvent = {
    source: 'generic',
    kind,
    deliveryId,
    summary: summaries[kind],
    subject: stated({ branch, tag, repository }),
    variables: stated({ ...(sha === undefined ? {} : commitVariables(sha)), branch, tag, image, digest, repository }),
  };
  return { kind: 'event', event };
}
