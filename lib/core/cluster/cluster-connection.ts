import * as z from 'zod';

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
