import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a signed post carries: the time it was signed, and `sha256=<hex>` over `<timestamp>.<body>`. */
export const signatureHeader = 'x-flotilla-signature';
export const timestampHeader = 'x-flotilla-timestamp';

/**
 * HMAC-SHA256 over the timestamp and the body, as Slack and Stripe sign theirs: the timestamp lets a receiver refuse
 * replays of an old post, and signing it with the body stops it being swapped.
 */
export function signBody(secret: string | Buffer, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): the signature is right and was made within `toleranceSeconds` of `now`. */
export function verifyBody(secret: string | Buffer, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, now: Date, toleranceSeconds = 300): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds || headers.signature === undefined) return false;
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
