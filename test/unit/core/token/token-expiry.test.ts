import { describe, expect, it } from 'vitest';
import { expiryOf, isExpired, lastUseIsStale } from '../../../../lib/core/token/token-expiry.ts';

const now = new Date('2026-11-29T12:00:00.000Z');

describe('expiryOf', () => {
  it('never expires when neither field is given', () => {
    expect(expiryOf({}, now)).toEqual({ ok: true, expiresAt: undefined });
  });

  it('counts expiresInDays from now', () => {
    expect(expiryOf({ expiresInDays: 30 }, now)).toEqual({ ok: true, expiresAt: '2026-12-29T12:00:00.000Z' });
    expect(expiryOf({ expiresInDays: 365 }, now)).toEqual({ ok: true, expiresAt: '2027-11-29T12:00:00.000Z' });
  });

  it('takes expiresAt as given, normalised to UTC', () => {
    expect(expiryOf({ expiresAt: '2027-01-01T00:00:00+01:00' }, now)).toEqual({ ok: true, expiresAt: '2026-12-31T23:00:00.000Z' });
    expect(expiryOf({ expiresAt: '2027-11-29T12:00:00Z' }, now)).toEqual({ ok: true, expiresAt: '2027-11-29T12:00:00.000Z' });
  });

  it.each([
    [{ expiresAt: '2026-11-29T12:00:00Z' }, /^must be in the future: 2026-11-29T12:00:00.000Z is not after now/],
    [{ expiresAt: '2020-01-01T00:00:00Z' }, /^must be in the future/],
    [{ expiresAt: '2027-11-29T12:00:00.001Z' }, /^must be at most 365 days from now, no later than 2027-11-29T12:00:00.000Z$/],
    [{ expiresAt: '2027-12-01T00:00:00Z', expiresInDays: 3 }, /^give expiresAt or expiresInDays, not both$/],
  ])('refuses %j at expiresAt', (request, message) => {
    const expiry = expiryOf(request, now);
    expect(expiry.ok).toBe(false);
    if (!expiry.ok) {
      expect(expiry.issue.path).toBe('expiresAt');
      expect(expiry.issue.message).toMatch(message);
    }
  });
});

describe('isExpired', () => {
  it('is expired from the instant on, never without an expiry', () => {
    expect(isExpired(undefined, now)).toBe(false);
    expect(isExpired('2026-11-29T12:00:00.001Z', now)).toBe(false);
    expect(isExpired('2026-11-29T12:00:00.000Z', now)).toBe(true);
  });
});

describe('lastUseIsStale', () => {
  it('asks for a write only when the recorded use is older than a minute', () => {
    expect(lastUseIsStale(undefined, now)).toBe(true);
    expect(lastUseIsStale('2026-11-29T11:59:00.000Z', now)).toBe(false);
    expect(lastUseIsStale('2026-11-29T11:58:59.999Z', now)).toBe(true);
  });
});
