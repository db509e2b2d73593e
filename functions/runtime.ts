// The objects every handler shares within one container: clients, store, queues, cipher and the engine, built once
// from the validated config (AWS reuses a warm container, so do the local runtime's in-process handlers).
import { countRequestsOf } from '../lib/aws/request-counter.ts';
import { createAwsClients } from '../lib/aws/clients.ts';
import { ClusterConnections } from '../lib/clusters/cluster-connections.ts';
import { QueueUrls, SqsWorkQueues } from '../lib/queue/sqs-work-queues.ts';
import type { Engine } from '../lib/run/engine.ts';
import type { CredentialCipher } from '../lib/secrets/credential-cipher.ts';
import { KeyFileCredentialCipher } from '../lib/secrets/key-file-cipher.ts';
import { KmsCredentialCipher } from '../lib/secrets/kms-cipher.ts';
import { createStore } from '../lib/store/store.ts';
import { config } from './config.ts';

export const clients = createAwsClients(config.aws);
countRequestsOf(clients.dynamodb, 'dynamodb');
countRequestsOf(clients.sqs, 'sqs');

export const store = createStore(clients.dynamodb, config.tableName);
export const queues = new SqsWorkQueues(clients.sqs, QueueUrls.parse(config.queues));
export const cipher: CredentialCipher =
  config.credentials.kind === 'kms'
    ? new KmsCredentialCipher(clients.kms, config.credentials.keyId)
    : new KeyFileCredentialCipher(config.credentials.path);
export const connections = new ClusterConnections(store.clusters, cipher);

export const engine: Engine = {
  store,
  queues,
  now: () => new Date(),
  settings: config.engine,
  // One client per cluster and credential version, reused across invocations of a warm container.
  clusterClient: async (cluster) => (await connections.loadClusterConnection(cluster)).client,
};
