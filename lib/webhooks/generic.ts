import * as z from 'zod';
import { parseWith } from '../errors/zod-issues.ts';
import { commitVariables, shortSha, type CiEvent, type ReadDelivery } from '../triggers/ci-event.ts';
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
  const optional = (values: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const commit = body.sha === undefined ? {} : commitVariables(body.sha);
  let event: CiEvent;
  switch (body.event) {
    case 'push':
      event = {
        source: 'generic',
        kind: 'push',
        deliveryId,
        summary: `push of ${shortSha(body.sha)} to branch ${body.branch}`,
        subject: optional({ branch: body.branch, repository: body.repository }),
        variables: optional({ ...commit, branch: body.branch, repository: body.repository }),
      };
      break;
    case 'tag':
      event = {
        source: 'generic',
        kind: 'tag',
        deliveryId,
        summary: `tag ${body.tag}`,
        subject: optional({ tag: body.tag, repository: body.repository }),
        variables: optional({ ...commit, tag: body.tag, repository: body.repository }),
      };
      break;
    case 'image':
      event = {
        source: 'generic',
        kind: 'image',
        deliveryId,
        summary: `image ${body.image}`,
        subject: optional({ tag: body.tag, repository: body.repository }),
        variables: optional({ ...commit, image: body.image, tag: body.tag, digest: body.digest, repository: body.repository }),
      };
      break;
  }
  return { kind: 'event', event };
}
