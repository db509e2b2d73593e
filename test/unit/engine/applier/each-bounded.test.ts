import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { eachBounded } from '../../../../lib/engine/applier/each-bounded.ts';

describe('eachBounded', () => {
  it('runs every item, never more than the bound at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachBounded([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await sleep(5 + (n % 3) * 5);
      running--;
      done.push(n);
    });
    expect(done.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(most).toBe(3);
  });

  it('throws the failure of the earliest item, even when a later one failed first', async () => {
    const failure = eachBounded(['slow', 'fast'], 2, async (item) => {
      await sleep(item === 'slow' ? 30 : 1);
      throw new Error(`${item} failed`);
    });
    await expect(failure).rejects.toThrow('slow failed');
  });

  it('starts nothing after a failure; items under way finish', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const failure = eachBounded([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('1 failed');
      await sleep(10);
      finished.push(n);
    });
    await expect(failure).rejects.toThrow('1 failed');
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([2]);
  });

  it('with a bound of one is a loop in order', async () => {
    const order: number[] = [];
    await eachBounded([3, 1, 2], 1, async (n) => {
      await sleep(n);
      order.push(n);
    });
    expect(order).toEqual([3, 1, 2]);
  });
});
