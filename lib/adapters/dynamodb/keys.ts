import type { Key } from './table.ts';

// Every key of the single table, in one place so docs/store.md can be checked against it. Names are DNS-1123 labels
// or subdomains and never contain `#`, so `#` separates key parts unambiguously.

/** Numbers inside sort keys are zero-padded so that string order is numeric order. */
export function padded(n: number): string {
  return String(n).padStart(10, '0');
}

export const clusterPartition = 'CLUSTERS';
export const clusterKey = (name: string): Key => ({ pk: clusterPartition, sk: `CLUSTER#${name}` });

export const tokenPartition = 'TOKENS';
export const tokenKey = (id: string): Key => ({ pk: tokenPartition, sk: `TOKEN#${id}` });

export const namespacePartition = (namespace: string) => `NAMESPACE#${namespace}`;
export const applicationKey = (namespace: string, name: string): Key => ({ pk: namespacePartition(namespace), sk: `APP#${name}` });
export const allApplicationsGroup = 'APPS';

/** Revisions and inventories of one application share its partition. */
export const applicationPartition = (namespace: string, name: string) => `APP#${namespace}#${name}`;
export const revisionKey = (namespace: string, name: string, revision: number): Key => ({
  pk: applicationPartition(namespace, name),
  sk: `REVISION#${padded(revision)}`,
});
export const inventoryKey = (namespace: string, name: string, cluster: string, revision: number): Key => ({
  pk: applicationPartition(namespace, name),
  sk: `INVENTORY#${cluster}#${padded(revision)}`,
});
/** Where the application's run events are posted (flotilla notify set). */
export const notificationTargetKey = (namespace: string, name: string): Key => ({ pk: applicationPartition(namespace, name), sk: 'NOTIFY' });
/** The application's live run: the newest run started, the only one whose orders may apply. */
export const liveRunKey = (namespace: string, name: string): Key => ({ pk: applicationPartition(namespace, name), sk: 'LIVE' });
export const clusterInventoryGroup = (cluster: string) => `INVENTORIES#${cluster}`;

export const orphanPartition = 'ORPHANS';

/** A run, its step tallies and its targets share the run's partition. */
export const runPartition = (runId: string) => `RUN#${runId}`;
export const runKey = (runId: string): Key => ({ pk: runPartition(runId), sk: 'RUN' });
export const applicationRunsGroup = (namespace: string, name: string) => `RUNS#${namespace}#${name}`;
export const stepTallyKey = (runId: string, stepId: string): Key => ({ pk: runPartition(runId), sk: `STEP#${stepId}` });
/** Who registers a step's targets: the one planner whose conditional put made it (DynamoTargetStore.register). */
export const stepRegistrationKey = (runId: string, stepId: string): Key => ({ pk: runPartition(runId), sk: `REGISTER#${stepId}` });
export const targetSortPrefix = (stepId?: string) => (stepId === undefined ? 'TARGET#' : `TARGET#${stepId}#`);
export const targetKey = (runId: string, stepId: string, cluster: string, namespace: string): Key => ({
  pk: runPartition(runId),
  sk: `${targetSortPrefix(stepId)}${cluster}#${namespace}`,
});

/** A target's objects when they are too large for an SQS message; kept in the run's partition. */
export const payloadKey = (runId: string, stepId: string, cluster: string, namespace: string): Key => ({
  pk: runPartition(runId),
  sk: `PAYLOAD#${stepId}#${cluster}#${namespace}`,
});
/** What a run cost in AWS usage, added to with ADD so concurrent functions never lose an increment. */
export const usageKey = (runId: string): Key => ({ pk: runPartition(runId), sk: 'REQUESTS' });

/** Trigger rules, all in one partition: EventBridge events are matched against every trigger of one source. */
export const triggerPartition = 'TRIGGERS';
export const triggerKey = (id: string): Key => ({ pk: triggerPartition, sk: `TRIGGER#${id}` });
/** The deliveries a trigger accepted, in a partition of the trigger's own; they expire through `ttl`. */
export const deliveryKey = (triggerId: string, deliveryId: string): Key => ({ pk: `TRIGGER#${triggerId}`, sk: `DELIVERY#${deliveryId}` });
/** Signatures of timestamped requests (generic webhooks, Slack) seen within their replay window; they expire through `ttl`. */
export const replayKey = (scheme: string, signature: string): Key => ({ pk: `REPLAY#${scheme}#${signature}`, sk: 'REPLAY' });
/** Chat integrations: one item per chat system. */
export const chatopsPartition = 'CHATOPS';
export const chatIntegrationKey = (system: string): Key => ({ pk: chatopsPartition, sk: system.toUpperCase() });
/** The parts of one cluster query (live diff, endpoints, logs); they expire through `ttl`. */
export const queryPartition = (queryId: string) => `QUERY#${queryId}`;
export const queryPartKey = (queryId: string, index: number): Key => ({ pk: queryPartition(queryId), sk: `PART#${padded(index)}` });
