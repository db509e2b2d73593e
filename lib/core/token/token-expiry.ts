import type { ValidationIssue } from '../errors/validation-error.ts';

/** The longest a token may live: a year, so that a forgotten CI token dies on its own. */
export const maxTokenLifetimeDays = 365;
const dayMs = 24 * 60 * 60 * 1000;

/** How stale `lastUsedAt` may be: a request writes it only when the stored one is older than this. */
export const lastUsedPrecisionMs = 60 * 1000;

export type Expiry = { ok: true; expiresAt: string | undefined } | { ok: false; issue: ValidationIssue };

/**
 * When a new token expires, from either `expiresInDays` or `expiresAt` (not both): after `now`, and no later than
 * `maxTokenLifetimeDays` from it. Neither given: the token never expires.
 */
export function expiryOf(request: { expiresInDays?: number | undefined; expiresAt?: string | undefined }, now: Date): Expiry {
  const { expiresInDays, expiresAt } = request;
  if (expiresInDays !== undefined && expiresAt !== undefined) {
    return { ok: false, issue: { path: 'expiresAt', message: 'give expiresAt or expiresInDays, not both' } };
  }
  if (expiresInDays !== undefined) return { ok: true, expiresAt: new Date(now.getTime() + expiresInDays * dayMs).toISOString() };
  if (expiresAt === undefined) return { ok: true, expiresAt: undefined };
  const at = new Date(expiresAt);
  if (at.getTime() <= now.getTime()) {
    return { ok: false, issue: { path: 'expiresAt', message: `must be in the future: ${at.toISOString()} is not after now (${now.toISOString()})` } };
  }
  const latest = new Date(now.getTime() + maxTokenLifetimeDays * dayMs);
  if (at.getTime() > latest.getTime()) {
    return { ok: false, issue: { path: 'expiresAt', message: `must be at most ${maxTokenLifetimeDays} days from now, no later than ${latest.toISOString()}` } };
  }
  return { ok: true, expiresAt: at.toISOString() };
}

export function isExpired(expiresAt: string | undefined, now: Date): boolean {
  return expiresAt !== undefined && new Date(expiresAt).getTime() <= now.getTime();
}

/** Whether a use at `now` should be written: never recorded, or recorded more than `lastUsedPrecisionMs` ago. */
export function lastUseIsStale(lastUsedAt: string | undefined, now: Date): boolean {
  return lastUsedAt === undefined || new Date(lastUsedAt).getTime() < staleBefore(now).getTime();
}

/** A stored `lastUsedAt` before this instant is stale. */
export function staleBefore(now: Date): Date {
  return new Date(now.getTime() - lastUsedPrecisionMs);
}
