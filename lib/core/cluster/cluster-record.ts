import * as z from 'zod';
import { SealedSecret } from '../secret/sealed-secret.ts';
import { CreatableNamespaces } from '../tenancy/creatable-namespaces.ts';
import { KindDiscovery } from './kind-discovery.ts';

export const ClusterRecord = z.object({
  name: z.string().min(1),
  /** Stable across rename; binds the sealed credentials (it is in their encryption context). */
  id: z.uuid(),
  endpoint: z.string().min(1),
  credentialType: z.enum(['X509Certificate', 'ServiceAccountToken']),
  /** Bumped by every credential rotation, so cached clients built from older credentials are dropped. */
  credentialVersion: z.int().positive(),
  /** CA, client certificate and key or token, sealed; only the endpoint stays readable. */
  credentials: SealedSecret,
  labels: z.record(z.string(), z.string()),
  /** Joined with insecure-skip-tls-verify (explicitly requested): shown in every view, as the credentials are not. */
  insecureSkipTlsVerify: z.boolean().optional(),
  /** Set by admins: the only namespaces Flotilla may create here (topology `createNamespace`). Absent: no limit. */
  creatableNamespaces: CreatableNamespaces.optional(),
  /** What the applier last read from the cluster's discovery, for the API and planner, which cannot ask it. */
  discovery: KindDiscovery.optional(),
  accepted: z.boolean(),
  kubernetesVersion: z.string().optional(),
  /** The outcome of the latest probe: why the cluster is not accepted, when it is not. */
  probeMessage: z.string().optional(),
  probedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});

export type ClusterRecord = z.infer<typeof ClusterRecord>;
