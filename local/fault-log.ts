// Failures that repeat every poll (a backend that is down fails each of the pollers' receives, about once a second each)
// are logged once per interval with a count, not once per poll: the first failure at once, then a summary per interval
// while it lasts, and one line when it is over.
import { errorMessage } from '../lib/core/errors/error-message.ts';

export interface FaultLog {
  /** Records a failure of `source`; logs it only if nothing about `source` was logged in the last interval. */
  failure(source: string, err: unknown): void;
  /** Records a success of `source`: after failures, logs once that it recovered. */
  success(source: string): void;
}

interface Streak {
  /** Failures since the streak began, and since the last line. */
  total: number;
  unlogged: number;
  loggedAt: number;
  since: number;
}

export function createFaultLog(log: (line: string) => void, intervalMs: number, now: () => number = Date.now): FaultLog {
  const streaks = new Map<string, Streak>();
  return {
    failure: (source, err) => {
      const at = now();
      const streak = streaks.get(source);
      if (streak === undefined) {
        streaks.set(source, { total: 1, unlogged: 0, loggedAt: at, since: at });
        log(`${source}: ${errorMessage(err)} (repeats are counted and logged once per ${Math.round(intervalMs / 1000)} s)`);
        return;
      }
      streak.total++;
      streak.unlogged++;
      if (at - streak.loggedAt < intervalMs) return;
      log(`${source}: ${errorMessage(err)} (${streak.unlogged} failures in the last ${Math.round((at - streak.loggedAt) / 1000)} s)`);
      streak.unlogged = 0;
      streak.loggedAt = at;
    },
    success: (source) => {
      const streak = streaks.get(source);
      if (streak === undefined) return;
      streaks.delete(source);
      log(`${source}: recovered after ${streak.total} failures in ${Math.round((now() - streak.since) / 1000)} s`);
    },
  };
}
