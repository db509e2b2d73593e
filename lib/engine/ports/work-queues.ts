import type { ApplierMessage } from '../messages/applier-message.ts';
import type { PlannerMessage } from '../messages/planner-message.ts';

export type ApplyOrRemove = Extract<ApplierMessage, { kind: 'apply' | 'remove' | 'refresh' }>;
export type HealthCheck = Extract<ApplierMessage, { kind: 'check' }>;
/** Orders that need no per-cluster order and may be delayed: health re-checks and cluster probes. */
export type Unordered = Extract<ApplierMessage, { kind: 'check' | 'probe' }>;

/** The queues between Flotilla's functions, behind one small interface so the engine is testable on any SQS. */
export interface WorkQueues {
  /** To the planner; a delay (at most 900 s, SQS's limit) postpones delivery. */
  toPlanner(messages: PlannerMessage[], delaySeconds?: number): Promise<void>;
  /** Apply, refresh and remove orders, delivered in order per cluster. */
  toApplier(messages: ApplyOrRemove[]): Promise<void>;
  /** Through the delay queue: a health re-check or a cluster probe, delivered after `delaySeconds`. */
  unordered(message: Unordered, delaySeconds: number): Promise<void>;
}

/** SQS accepts per-message delays up to 15 minutes. */
export const maxDelaySeconds = 900;
