import * as z from 'zod';
import { booleanFlag, commaList } from './parameters.ts';
import { maxCreatableNamespaces } from '../lib/core/tenancy/creatable-namespaces.ts';

export const JoinClusterRequest = z.strictObject({
  name: z.string().min(1).optional().meta({ description: "The cluster's name in Flotilla; defaults to the kubeconfig's name for the cluster of the chosen context." }),
  kubeconfig: z.string().min(1).meta({
    description:
      'A self-contained kubeconfig (YAML or JSON text): credentials inline (token, or client-certificate-data and client-key-data); no exec, auth-provider or file references.',
  }),
  context: z.string().min(1).optional().meta({ description: 'The context to use; otherwise current-context, otherwise the only context.' }),
  labels: z.record(z.string(), z.string()).optional().meta({ description: 'Cluster labels, e.g. {"provider": "AWS"}.' }),
  createNamespace: z.string().min(1).optional().meta({ description: 'A namespace to create in the member cluster right away.' }),
  creatableNamespaces: z.array(z.string()).optional().meta({
    description: `The only namespaces Flotilla may create in the cluster (topology createNamespace), DNS-1123 names, at most ${maxCreatableNamespaces}; omitted: no limit (a rotation keeps the list it had).`,
  }),
  overwrite: z.boolean().optional().meta({ description: "Replace an existing cluster's credentials (rotation); its labels stay unless new ones are given." }),
  insecureSkipTlsVerify: z
    .boolean()
    .optional()
    .meta({ description: "Must be true to join a kubeconfig with insecure-skip-tls-verify: the API server's certificate is then not verified, and cluster views say so." }),
});

export const AddLabelsRequest = z.strictObject({
  labels: z.record(z.string(), z.string()).meta({ description: 'Labels to add; existing keys take the new value.' }),
});

export const RemoveLabelsQuery = z.strictObject({
  keys: commaList('Label keys to remove, separated by commas; every one must be present.'),
});

export const SetCreatableNamespacesRequest = z.strictObject({
  creatableNamespaces: z
    .array(z.string())
    .nullable()
    .meta({ description: `The only namespaces Flotilla may create in the cluster (DNS-1123 names, at most ${maxCreatableNamespaces}; [] for none), or null for no limit.` }),
});

export const RenameClusterRequest = z.strictObject({
  newName: z.string().min(1).meta({ description: 'The new name (a DNS-1123 label, not `local`).' }),
});

export const DetachClusterQuery = z.strictObject({
  force: booleanFlag('Detach even though applications have objects there; they are recorded as orphans and left in the cluster.'),
});

/** A member cluster as the API shows it: never its credentials. */
export const ClusterView = z.object({
  name: z.string(),
  type: z.enum(['X509Certificate', 'ServiceAccountToken']),
  endpoint: z.string(),
  // Optional so a CLI reads clusters from an API that predates the field.
  insecureSkipTlsVerify: z.boolean().optional().meta({ description: "True when the API server's certificate is not verified (joined with insecure-skip-tls-verify); the API always sends it." }),
  accepted: z.boolean().meta({ description: 'Whether the latest probe reached the API server with the stored credentials.' }),
  labels: z.record(z.string(), z.string()),
  creatableNamespaces: z.array(z.string()).optional().meta({ description: 'The only namespaces Flotilla may create there (topology createNamespace); absent: no limit.' }),
  kubernetesVersion: z.string().optional(),
  message: z.string().optional().meta({ description: 'Why the latest probe failed, when it did.' }),
  credentialVersion: z.int().meta({ description: 'Bumped by every credential rotation.' }),
  probedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const ClusterList = z.object({ clusters: z.array(ClusterView) });

export const RerunView = z.object({
  namespace: z.string(),
  name: z.string(),
  revision: z.string().meta({ description: 'The revision run again, `<name>-v<N>`.' }),
  runId: z.string(),
});

/** What a change to the registry set in motion: the applications whose label selectors it may affect. */
export const ClusterChangeView = z.object({
  cluster: ClusterView,
  reruns: z.array(RerunView).meta({
    description: 'Applications whose current revision selects clusters by label and whose selection this change may alter: their workflow runs again.',
  }),
  warnings: z.array(z.string()).meta({ description: 'Follow-up work that failed although the change itself was made.' }),
});

export const JoinClusterResult = ClusterChangeView.extend({
  rotated: z.boolean().meta({ description: "True when an existing cluster's credentials were replaced." }),
});

export const ResourceView = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  component: z.string().optional(),
});

export const DetachClusterResult = z.object({
  cluster: z.string(),
  orphaned: z
    .array(z.object({ namespace: z.string(), application: z.string(), revision: z.int(), resources: z.array(ResourceView) }))
    .meta({ description: 'Objects a forced detach left in the cluster, by application revision.' }),
});
