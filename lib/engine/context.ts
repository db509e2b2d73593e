import type { ClusterClient } from './ports/cluster-client.ts';
import type { ClusterRecord } from '../core/cluster/cluster-record.ts';
import type { WorkQueues } from './ports/work-queues.ts';
import type { Store } from './ports/store.ts';
import type { CredentialCipher } from './ports/credential-cipher.ts';
import type { Telemetry } from './ports/telemetry.ts';
import type { Outbound } from './ports/outbound.ts';
import type { RunEventSink } from './ports/run-events.ts';

/** What the planner and the appliers work with; the functions build it once per container from validated config. */
export interface Engine {
  store: Store;
  queues: WorkQueues;
  /** Opens the Secret values of revisions and seals them per target (lib/engine/secrets). */
  cipher: CredentialCipher;
  /**
   * A connected client for a registered member cluster; one per cluster and credential version, reused. `record`, when
   * the caller has just read the cluster's record, saves reading it again.
   */
  clusterClient(cluster: string, record?: ClusterRecord): Promise<ClusterClient>;
  /** Checks a registered cluster with its stored credentials and records the outcome (ClusterRegistry.probe). */
  probeCluster(cluster: string): Promise<void>;
  /** Posts of notification and webhook steps, under the egress rules of cluster endpoints; only the applier has it. */
  outbound: Outbound;
  /** Run and step transitions, published after the planner writes them. */
  events: RunEventSink;
  now(): Date;
  settings: EngineSettings;
  /** Log lines and metrics of what the engine does (docs/operations.md). */
  telemetry: Telemetry;
}

export interface EngineSettings {
  /** A deploy step with no `timeout` fails after this long, so nothing waits forever (KubeVela #7045). */
  defaultStepTimeoutSeconds: number;
  /** Health re-checks back off from 1 s up to this. */
  maxRecheckDelaySeconds: number;
  /** Target objects larger than this (JSON bytes) are stored and referenced instead of sent in the message. */
  inlinePayloadBytes: number;
  /** After applying, health is polled in place this long before a delayed re-check is queued. */
  inlineHealthWaitMs: number;
  /** The applier queue's maxReceiveCount: the last receive fails its target rather than dead-lettering the order. */
  maxOrderReceives: number;
  /** A target with no news for this long has lost its order; the sweep sends it again. */
  orderLostAfterSeconds: number;
  /** Planning one step (placements resolved, every target rendered) fails the step past this (PlanBudget). */
  planBudgetMs: number;
}

export const defaultEngineSettings: EngineSettings = {
  defaultStepTimeoutSeconds: 600,
  maxRecheckDelaySeconds: 30,
  inlinePayloadBytes: 192 * 1024,
  inlineHealthWaitMs: 5_000,
  maxOrderReceives: 8,
  orderLostAfterSeconds: 120,
  planBudgetMs: 10_000,
};
