import type { ApplierMessage } from '../messages/applier-message.ts';
import type { PlannerMessage } from '../messages/planner-message.ts';

export type ApplyOrRemove = Extract<ApplierMessage, { kind: 'apply' | 'remove' | 'refresh' }>;
export type HealthCheck = Extract<ApplierMessage, { kind: 'check' }>;
/**
 * Orders that need no per-cluster order and may be delayed: health re-checks, cluster probes, discovery requests,
 * cluster queries, notification posts and read-only refreshes
 * (each fenced by its run; in a cluster's FIFO group they would sit ahead of its deploys).
 */
export type Unordered = Extract<ApplierMessage, { kind: 'check' | 'probe' | 'discover' | 'query' | 'deliver' }> | (Extract<ApplierMessage, { kind: 'refresh' }> & { reapply: false });

/** The queues between Flotilla's functions, behind one small interface so the engine is testable on any SQS. */
export interface WorkQueues {
  /** To the planner; a delay (at most 900 s, SQS's limit) postpones delivery. */
  toPlanner(messages: PlannerMessage[], delaySeconds?: number): Promise<void>;
  /** Apply, remove and drift-correction (refresh with reapply) orders, delivered in order per cluster. */
  toApplier(messages: ApplyOrRemove[]): Promise<void>;
  /** Through the delay queue: a health re-check or a cluster probe, delivered after `delaySeconds`. */
  unordered(message: Unordered, delaySeconds: number): Promise<void>;
  /** Many through the delay queue at once, undelayed. */
  unorderedBatch(messages: Unordered[]): Promise<void>;
}

/** SQS accepts per-message delays up to 15 minutes. */
export const maxDelaySeconds = 900;
