import { describe, expect, it } from 'vitest';
import { goTimeUtc, shortAge } from '../../../../lib/core/status/time-format.ts';

describe('goTimeUtc', () => {
  it("prints Go's default layout in UTC, whole seconds", () => {
    expect(goTimeUtc('2022-03-25T09:42:33.000Z')).toBe('2022-03-25 09:42:33 +0000 UTC');
    expect(goTimeUtc('2022-03-25T09:42:33.999Z')).toBe('2022-03-25 09:42:33 +0000 UTC');
    expect(goTimeUtc('2022-03-25T17:42:33+08:00')).toBe('2022-03-25 09:42:33 +0000 UTC');
  });

  it('refuses what is not a timestamp', () => {
    expect(() => goTimeUtc('yesterday')).toThrow('not a timestamp: yesterday');
  });
});

describe('shortAge', () => {
  it.each([
    [-5_000, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [3_599_999, '59m'],
    [3_600_000, '1h'],
    [86_399_999, '23h'],
    [86_400_000, '1d'],
    [364 * 86_400_000, '364d'],
    [800 * 86_400_000, '2y'],
  ])('%i ms is %s', (milliseconds, expected) => {
    expect(shortAge(milliseconds)).toBe(expected);
  });
});
