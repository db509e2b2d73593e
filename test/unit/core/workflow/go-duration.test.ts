import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../../../lib/core/workflow/go-duration.ts';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['30s', 30],
    ['5m', 300],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['300ms', 0.3],
    ['2h45m30.5s', 9930.5],
    ['1m1m', 120],
    ['+10s', 10],
    ['.5s', 0.5],
    ['1500us', 0.0015],
    ['1500µs', 0.0015],
    ['250ns', 2.5e-7],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseGoDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each(['', '5', '1d', '-5m', '5 m', 'm', '1h 30m', '1.h.5', 'ten minutes', '1e3s'])('refuses %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
