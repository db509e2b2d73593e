import type { DependencyCheck } from '../lib/adapters/aws/dependency-check.ts';
import type { ChatopsSettings } from '../integrations/chatops/receive-slash-command.ts';
import type { ClusterRegistry } from '../lib/engine/clusters/cluster-registry.ts';
import type { WorkQueues } from '../lib/engine/ports/work-queues.ts';
import type { Engine } from '../lib/engine/context.ts';
import type { CredentialCipher } from '../lib/engine/ports/credential-cipher.ts';
import type { Store } from '../lib/engine/ports/store.ts';
import type { Telemetry } from '../lib/engine/ports/telemetry.ts';
import type { Prices } from '../lib/core/cost/prices.ts';

/** A structured log line (Telemetry.log); callers never pass secrets (tokens, kubeconfigs, request bodies). */
export type ApiLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** What the routes work with; functions/api.ts builds it once per container. */
export interface ApiDependencies {
  store: Store;
  queues: WorkQueues;
  registry: ClusterRegistry;
  /** For the workflow operations, which share the planner's view of runs. */
  engine: Engine;
  /** Seals and opens trigger secrets and the Slack signing secret (the registry seals cluster credentials itself). */
  cipher: CredentialCipher;
  /** How slash commands are answered when their reply is slow. */
  chatops: ChatopsSettings;
  maxBodyBytes: number;
  /** What status prices a run's usage with: the published prices, or the configured override (PRICES). */
  prices: Prices;
  /** /healthz: one cheap, deadline-bound read of the store and of each queue. */
  checkDependencies(): Promise<readonly DependencyCheck[]>;
  /** `telemetry.log`, kept short for the routes. */
  log: ApiLog;
  /** API latency by route, webhook outcomes. */
  telemetry: Pick<Telemetry, 'count' | 'duration'>;
  now(): Date;
}
