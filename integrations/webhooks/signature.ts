import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Whether a request proved it comes from the holder of the secret; the reason is safe to answer with (no secret in it). */
export type Verified = { ok: true } | { ok: false; reason: string };

export function hmacSha256(key: Buffer, ...parts: (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/** `sha256=<hex>` / `v0=<hex>`: the 32 bytes of the hex, or undefined when the header is not of that shape. */
export function digestFromHeader(value: string, prefix: string): Buffer | undefined {
  const hex = value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
  return hex !== undefined && /^[0-9a-f]{64}$/i.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

/** Constant time whatever the inputs: both sides are hashed first, so neither length nor content leaks through timing. */
export function sameSecret(presented: Buffer, expected: Buffer): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}

/** Seconds-since-epoch timestamps within `windowSeconds` of now, either way (clocks drift both ways). */
export function withinWindow(timestamp: string | undefined, now: Date, windowSeconds: number): Verified {
  if (timestamp === undefined || timestamp === '') return { ok: false, reason: 'the request timestamp header is missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'the request timestamp is not a number of seconds since 1970' };
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > windowSeconds) return { ok: false, reason: `the request timestamp is ${Math.round(skew)} s away from now; requests older than ${windowSeconds} s are refused as replays` };
  return { ok: true };
}

/** A signature scheme over a timestamp and the body, with a replay window: Slack's v0, Flotilla's generic webhook. */
export interface TimestampedScheme {
  /** As people read header names: `X-Slack-Signature`. */
  signatureName: string;
  signatureHeader: string;
  timestampHeader: string;
  /** What precedes the hex digest in the header: `v0=`, `sha256=`. */
  prefix: string;
  windowSeconds: number;
  /** What is signed, in order. */
  signed(timestamp: string, body: Buffer | string): (string | Buffer)[];
  /** Says what the signature covers, for the refusal: `<timestamp>.<body>`. */
  covers: string;
}

export function signTimestamped(scheme: TimestampedScheme, secret: Buffer, timestamp: string, body: Buffer | string): string {
  return `${scheme.prefix}${hmacSha256(secret, ...scheme.signed(timestamp, body)).toString('hex')}`;
}

/** The signature's hex, as the replay guard remembers it; undefined when the header is missing or malformed. */
export function timestampedSignatureOf(scheme: TimestampedScheme, headers: Readonly<Record<string, string>>): string | undefined {
  return digestFromHeader(headers[scheme.signatureHeader] ?? '', scheme.prefix)?.toString('hex');
}

export function verifyTimestamped(
  scheme: TimestampedScheme,
  secret: Buffer,
  request: { headers: Readonly<Record<string, string>>; body: Buffer },
  now: Date,
): Verified {
  const header = request.headers[scheme.signatureHeader];
  if (header === undefined || header === '') return { ok: false, reason: `${scheme.signatureName} is missing` };
  const presented = digestFromHeader(header, scheme.prefix);
  if (presented === undefined) return { ok: false, reason: `${scheme.signatureName} must read ${scheme.prefix}<64 hex digits>` };
  const timestamp = request.headers[scheme.timestampHeader];
  const fresh = withinWindow(timestamp, now, scheme.windowSeconds);
  if (!fresh.ok) return fresh;
  const expected = hmacSha256(secret, ...scheme.signed(timestamp ?? '', request.body));
  return sameSecret(presented, expected) ? { ok: true } : { ok: false, reason: `${scheme.signatureName} does not match ${scheme.covers} under the secret` };
}
