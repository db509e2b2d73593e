import { createHash } from 'node:crypto';
import { parseDocument } from '../../lib/core/application/parse-document.ts';
import { ValidationError } from '../../lib/core/errors/validation-error.ts';
import { deliveryIdPattern } from '../../lib/core/trigger/delivery-record.ts';

/** What a webhook reader needs of an HTTP request: header names in lower case, and the raw body the signature covers. */
export interface WebhookRequest {
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The JSON payload, read only after the signature checked out. GitHub can also post it form-encoded (`payload=...`),
 * as a webhook's "Content type: application/x-www-form-urlencoded" setting asks.
 */
export function payloadOf(request: WebhookRequest): unknown {
  let text: string;
  try {
    text = utf8.decode(request.body);
  } catch {
    throw ValidationError.single('', 'the request body is not UTF-8 text');
  }
  const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw ValidationError.single('payload', 'a form-encoded webhook must carry the JSON in its payload field');
    text = payload;
  }
  return parseDocument(text, 'json');
}

/** A delivery id from a header, checked (it becomes part of a store key); undefined when the header is absent. */
export function deliveryIdFrom(request: WebhookRequest, header: string): string | undefined {
  const value = request.headers[header];
  if (value === undefined || value === '') return undefined;
  if (!deliveryIdPattern.test(value)) throw ValidationError.single(`headers.${header}`, 'must be 1 to 128 letters, digits, dots, colons, dashes or underscores');
  return value;
}

/** For senders without a delivery id: the body's SHA-256, so the same body is one delivery. */
export function bodyDigest(request: WebhookRequest): string {
  return createHash('sha256').update(request.body).digest('hex');
}
