/**
 * Pauses between reads of something that usually turns within moments of an apply (a rollout, a CRD being served):
 * doubling from 25 ms, then every 250 ms, so a quick change is seen within tens of milliseconds, not on a 250 ms grid.
 */
const pausesMs = [25, 50, 100, 200, 250] as const;

/** The pause after read number `poll` (0-based). */
export function pauseAfterPoll(poll: number): number {
  return pausesMs[Math.min(poll, pausesMs.length - 1)]!;
}
