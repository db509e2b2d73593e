import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';

/** How Flotilla reaches a member cluster: endpoint, trust and one inline credential. Everything but `endpoint` is secret. */
export const ClusterCredential = z.discriminatedUnion('type', [
  z.object({ type: z.literal('X509Certificate'), clientCertificateData: z.string().min(1), clientKeyData: z.string().min(1) }),
  z.object({ type: z.literal('ServiceAccountToken'), token: z.string().min(1) }),
]);
export type ClusterCredential = z.infer<typeof ClusterCredential>;
export type CredentialType = ClusterCredential['type'];

export const ClusterConnection = z.object({
  endpoint: z.url(),
  /** Base64 of the PEM CA bundle, as in a kubeconfig's certificate-authority-data. Absent: the system trust store. */
  caData: z.string().min(1).optional(),
  insecureSkipTlsVerify: z.boolean(),
  tlsServerName: z.string().min(1).optional(),
  credential: ClusterCredential,
});
export type ClusterConnection = z.infer<typeof ClusterConnection>;

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
