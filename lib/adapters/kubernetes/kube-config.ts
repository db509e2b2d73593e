import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterConnection } from '../../core/cluster/cluster-connection.ts';

/**
 * A client-node KubeConfig holding just this connection. `identity` names the cluster and user entries; it must be
 * unique per cluster in one process because client-node caches some auth state by user name.
 */
export function toKubeConfig(connection: ClusterConnection, identity: string): KubeConfig {
  const { credential } = connection;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromClusterAndUser(
    {
      name: identity,
      server: connection.endpoint,
      caData: connection.caData,
      skipTLSVerify: connection.insecureSkipTlsVerify,
      tlsServerName: connection.tlsServerName,
    },
    credential.type === 'ServiceAccountToken'
      ? { name: `${identity}-user`, token: credential.token }
      : { name: `${identity}-user`, certData: credential.clientCertificateData, keyData: credential.clientKeyData },
  );
  return kubeConfig;
}
