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

export const clients = createAwsClients(config.aws);
countRequestsOf(clients.dynamodb, 'dynamodb');
countRequestsOf(clients.sqs, 'sqs');

export const store = createStore(clients.dynamodb, config.tableName);
export const queues = new SqsWorkQueues(clients.sqs, QueueUrls.parse(config.queues));
export const cipher: CredentialCipher =
  config.credentials.kind === 'kms'
    ? new KmsCredentialCipher(clients.kms, config.credentials.keyId)
    : new KeyFileCredentialCipher(config.credentials.path);

export type ClusterAccess = Pick<Engine, 'clusterClient' | 'probeCluster'>;

/** For functions that never talk to member clusters (planner, status, API): asking is a bug, said loudly. */
export const noClusterAccess: ClusterAccess = {
  clusterClient: (cluster) => Promise.reject(new Error(`this function does not talk to member clusters (asked for ${cluster})`)),
  probeCluster: (cluster) => Promise.reject(new Error(`this function does not talk to member clusters (asked to probe ${cluster})`)),
};

export function engineWith(access: ClusterAccess): Engine {
  return { store, queues, cipher, now: () => new Date(), settings: config.engine, ...access };
}
