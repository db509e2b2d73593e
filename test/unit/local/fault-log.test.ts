import { describe, expect, it } from 'vitest';
import { createFaultLog } from '../../../local/fault-log.ts';

describe('the fault log', () => {
  it('logs the first failure, then one line with a count per interval, then the recovery', () => {
    const lines: string[] = [];
    let now = 0;
    const faults = createFaultLog((line) => lines.push(line), 60_000, () => now);
    // A poller failing every second for three minutes.
    for (; now < 180_000; now += 1_000) faults.failure('event source planner', new Error('connect ECONNREFUSED'));
    faults.success('event source planner');
    expect(lines).toEqual([
      'event source planner: connect ECONNREFUSED (repeats are counted and logged once per 60 s)',
      'event source planner: connect ECONNREFUSED (60 failures in the last 60 s)',
      'event source planner: connect ECONNREFUSED (60 failures in the last 60 s)',
      'event source planner: recovered after 180 failures in 180 s',
    ]);
  });

  it('keeps sources apart and says nothing about a success without failures', () => {
    const lines: string[] = [];
    const faults = createFaultLog((line) => lines.push(line), 60_000, () => 0);
    faults.success('a');
    faults.failure('a', new Error('x'));
    faults.failure('b', new Error('y'));
    faults.failure('a', new Error('x'));
    expect(lines).toHaveLength(2);
  });
});
