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
