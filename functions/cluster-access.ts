// Member-cluster access for the applier: decrypted connections (one client and connection pool per cluster and
// credential version, reused across invocations) and probes of registered clusters with their stored credentials.
import { ClusterConnections } from '../lib/adapters/kubernetes/cluster-connections.ts';
import { ClusterRegistry } from '../lib/engine/clusters/cluster-registry.ts';
import { cipher, store, type ClusterAccess } from './runtime.ts';
import { reachCluster } from '../lib/adapters/kubernetes/cluster-reach.ts';
import { config } from './config.ts';
import { httpOutbound } from '../lib/adapters/outbound/http-outbound.ts';

const policy = config.clusterEndpoints;
const connections = new ClusterConnections(store.clusters, cipher, policy);
const registry = new ClusterRegistry({
  clusters: store.clusters,
  inventories: store.inventories,
  cipher,
  reach: (connection) => reachCluster(connection, { policy }),
  endpointPolicy: policy,
});

export const clusterAccess: ClusterAccess = {
  clusterClient: async (cluster, record) => (await (record ? connections.connectionFor(record) : connections.loadClusterConnection(cluster))).client,
  probeCluster: async (cluster) => {
    await registry.probe(cluster);
  },
  // Notification and webhook posts go under the cluster endpoints' egress rules; one try is bounded by this timeout.
  outbound: httpOutbound({ policy, timeoutMs: 5_000 }),
};
