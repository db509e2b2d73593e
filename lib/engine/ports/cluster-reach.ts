import type { ClusterConnection } from '../../core/cluster/cluster-connection.ts';

/** The two calls the cluster registry makes: is the cluster there and who is it, and create a namespace. */
export interface ClusterReach {
  serverVersion(): Promise<string>;
  ensureNamespace(name: string): Promise<void>;
  close(): Promise<void>;
}

export type ReachCluster = (connection: ClusterConnection) => ClusterReach;
