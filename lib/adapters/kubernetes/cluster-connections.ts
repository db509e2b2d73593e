import type { KubeConfig } from '@kubernetes/client-node';
import { connectCluster } from './cluster-client.ts';
import { type ClusterClient } from '../../engine/ports/cluster-client.ts';
import { toKubeConfig } from './kube-config.ts';
import type { CredentialCipher } from '../../engine/ports/credential-cipher.ts';
import type { ClusterRecord } from '../../core/cluster/cluster-record.ts';
import type { ClusterStore } from '../../engine/ports/store.ts';
import { UnknownClusterError } from '../../core/cluster/cluster-errors.ts';
import { openConnection } from '../../engine/clusters/cluster-credentials.ts';
import type { EndpointPolicy } from '../../core/cluster/endpoint-policy.ts';

export interface ClusterConnectionHandle {
  /** The same object for as long as the cluster's credentials do not change, so callers can key client caches on it. */
  kubeConfig: KubeConfig;
  /** One client per cluster and credential version: it caches API discovery, so reusing it saves requests. */
  client: ClusterClient;
  credentialVersion: number;
}

/**
 * Decrypted connections to member clusters for the appliers. Each load reads the cluster record (one GetItem; an
 * apply order hands over the one it read with its run) and decrypts only when the credentials are new to this process: a rotation (join with overwrite) bumps
 * `credentialVersion`, which retires the cached KubeConfig and client.
 */
export class ClusterConnections {
  readonly #store: ClusterStore;
  readonly #cipher: CredentialCipher;
  readonly #cache = new Map<string, { generation: string; handle: Promise<ClusterConnectionHandle> }>();
  readonly #policy: EndpointPolicy;

  constructor(store: ClusterStore, cipher: CredentialCipher, policy: EndpointPolicy) {
    this.#store = store;
    this.#cipher = cipher;
    this.#policy = policy;
  }

  async loadClusterConnection(name: string): Promise<ClusterConnectionHandle> {
    const record = await this.#store.get(name);
    if (!record) {
      this.#cache.delete(name);
      throw new UnknownClusterError(name);
    }
    return this.connectionFor(record);
  }

  /** The connection for a cluster record the caller has just read (with other records, in one request). */
  connectionFor(record: ClusterRecord): Promise<ClusterConnectionHandle> {
    const { name } = record;
    const generation = `${record.id}:${record.credentialVersion}`;
    const cached = this.#cache.get(name);
    if (cached?.generation === generation) return cached.handle;
    const handle = this.#open(record);
    this.#cache.set(name, { generation, handle });
    handle.catch(() => {
      if (this.#cache.get(name)?.handle === handle) this.#cache.delete(name);
    });
    return handle;
  }

  async #open(record: ClusterRecord): Promise<ClusterConnectionHandle> {
    const connection = await openConnection(this.#cipher, record.id, record.credentials);
    const kubeConfig = toKubeConfig(connection, `cluster-${record.id}`);
    return { kubeConfig, client: connectCluster(kubeConfig, { policy: this.#policy }), credentialVersion: record.credentialVersion };
  }
}
