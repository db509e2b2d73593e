import { ConflictError, type ConflictReason } from './ports/conflict-error.ts';

/**
 * Read-modify-write against versioned records: `attempt` reads, decides and writes; a ConflictError means someone
 * wrote in between, so it reads and decides again. Upserts also retry `already-exists` (two creators raced).
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, reasons: readonly ConflictReason[] = ['changed'], rounds = 20): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ConflictError && reasons.includes(err.reason)) || round >= rounds) throw err;
    }
  }
}

/**
 * The order could not be carried out for a reason that should pass (the cluster is unreachable, throttling, 5xx). The
 * function reports the message as failed so SQS delivers it again after `delaySeconds`; FIFO keeps the cluster's later
 * orders behind it, which is what per-cluster order means, while other clusters go on.
 */
export class RetryLater extends Error {
  readonly delaySeconds: number;

  constructor(message: string, delaySeconds: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryLater';
    this.delaySeconds = delaySeconds;
  }
}

/** 1, 2, 4, 8 ... seconds by attempt (1-based), capped. */
export function backoffSeconds(attempt: number, maxSeconds: number): number {
  return Math.min(maxSeconds, 2 ** Math.max(0, Math.min(attempt - 1, 10)));
}
