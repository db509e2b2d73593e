// The objects every handler shares within one container: clients, store, queues and the credential cipher, built once
// from the validated config (AWS reuses a warm container, so do the local runtime's in-process handlers). Member-cluster
// access lives in cluster-access.ts, which only the applier loads: @kubernetes/client-node stays out of the others.
import { countRequestsOf } from '../lib/adapters/aws/request-counter.ts';
import { createAwsClients } from '../lib/adapters/aws/clients.ts';
import { QueueUrls, SqsWorkQueues } from '../lib/adapters/sqs/sqs-work-queues.ts';
import type { Engine } from '../lib/engine/context.ts';
import type { CredentialCipher } from '../lib/engine/ports/credential-cipher.ts';
import { KeyFileCredentialCipher } from '../lib/adapters/secrets/key-file-cipher.ts';
import { KmsCredentialCipher } from '../lib/adapters/secrets/kms-cipher.ts';
import { createStore } from '../lib/adapters/dynamodb/store.ts';
import { config } from './config.ts';
import { eventBridgeRunEvents } from '../lib/adapters/aws/eventbridge-run-events.ts';
import { noRunEvents, type RunEventSink } from '../lib/engine/ports/run-events.ts';
import { runEventDetailType, runEventSource } from '../contract/run-event-schemas.ts';
import { createPowertoolsTelemetry, type PowertoolsTelemetry } from '../lib/adapters/telemetry/powertools-telemetry.ts';
import { MetricRegistry } from '../lib/adapters/telemetry/metric-registry.ts';
import type { Telemetry } from '../lib/engine/ports/telemetry.ts';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';

export const clients = createAwsClients(config.aws);
countRequestsOf(clients.dynamodb, 'dynamodb');
countRequestsOf(clients.sqs, 'sqs');

export const store = createStore(clients.dynamodb, config.tableName);
export const queues = new SqsWorkQueues(clients.sqs, QueueUrls.parse(config.queues));
export const cipher: CredentialCipher =
  config.credentials.kind === 'kms'
    ? new KmsCredentialCipher(clients.kms, config.credentials.keyId)
    : new KeyFileCredentialCipher(config.credentials.path);

/** Run and step transitions go to EventBridge when a bus is configured (always on AWS); locally, nowhere unless asked. */
export const runEvents: RunEventSink =
  config.runEventsBus === undefined ? noRunEvents : eventBridgeRunEvents(clients.events, { busName: config.runEventsBus, source: runEventSource, detailType: runEventDetailType });

export type ClusterAccess = Pick<Engine, 'clusterClient' | 'probeCluster' | 'outbound'>;

/** For functions that never talk to member clusters (planner, status, API): asking is a bug, said loudly. */
export const noClusterAccess: ClusterAccess = {
  clusterClient: (cluster) => Promise.reject(new Error(`this function does not talk to member clusters (asked for ${cluster})`)),
  probeCluster: (cluster) => Promise.reject(new Error(`this function does not talk to member clusters (asked to probe ${cluster})`)),
  outbound: { post: () => Promise.reject(new Error('this function makes no outbound posts (only the applier does)')) },
};

export function engineWith(access: ClusterAccess, telemetry: Telemetry): Engine {
  return { store, queues, cipher, events: runEvents, now: () => new Date(), settings: config.engine, telemetry, ...access };
}

/**
 * The metrics every function of this process reported, for the local runtime's GET /metrics (LOCAL_METRICS=true, which
 * only the local runtime sets; on AWS the EMF lines are the record and this stays empty).
 */
export const metricRegistry = new MetricRegistry();

/**
 * One function's logger and metrics, and the middy middleware that give them the Lambda context (request id, cold
 * start) and flush the metrics at the end of each invocation.
 */
export function observe(functionName: string): PowertoolsTelemetry & { middleware: [ReturnType<typeof injectLambdaContext>, ReturnType<typeof logMetrics>] } {
  const observed = createPowertoolsTelemetry({ functionName, registry: config.localMetrics ? metricRegistry : undefined });
  return {
    ...observed,
    middleware: [injectLambdaContext(observed.logger, { resetKeys: true }), logMetrics(observed.metrics, { captureColdStartMetric: true })],
  };
}
