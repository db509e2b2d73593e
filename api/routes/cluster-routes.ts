import type { ClusterSummary } from '../../lib/engine/clusters/cluster-registry.ts';
import { requestProbe } from '../../lib/engine/clusters/probe-request.ts';
import { ValidationError, type ValidationIssue } from '../../lib/core/errors/validation-error.ts';
import { parseKubeconfig } from '../../lib/core/cluster/kubeconfig.ts';
import { ConflictError } from '../../lib/engine/ports/conflict-error.ts';
import type { ApiDependencies } from '../api-dependencies.ts';
import { ApiError } from '../api-error.ts';
import { schemaResponse } from '../api-response.ts';
import { rerunsAfterClusterChange } from '../cluster-change-reruns.ts';
import { jsonBody } from '../request-body.ts';
import { defineRoute } from '../route.ts';
import {
  AddLabelsRequest,
  ClusterChangeView,
  ClusterList,
  ClusterView,
  DetachClusterQuery,
  DetachClusterResult,
  JoinClusterRequest,
  JoinClusterResult,
  RemoveLabelsQuery,
  RenameClusterRequest,
  SetCreatableNamespacesRequest,
} from '../../contract/cluster-schemas.ts';
import { ClusterPath } from '../../contract/parameters.ts';

const joinCluster = defineRoute({
  method: 'POST',
  path: '/clusters',
  operationId: 'joinCluster',
  summary: 'Join a member cluster (vela cluster join)',
  description:
    'Checks the kubeconfig, probes the cluster (GET /version with the given credentials) and stores the credentials sealed. Applications whose label selectors match the cluster run again.',
  tag: 'clusters',
  access: { action: 'clusters:write' },
  body: jsonBody(JoinClusterRequest),
  responses: {
    201: { description: 'The cluster joined.', schema: JoinClusterResult },
    200: { description: "The cluster's credentials were replaced (overwrite).", schema: JoinClusterResult },
    422: { description: 'The cluster could not be reached or refused the credentials (code cluster_unreachable), or the namespace could not be created (namespace_not_created); the message names the cluster and the reason.' },
  },
  handle: async ({ body }, deps) => {
    const { createNamespace, ...rest } = body;
    const name = body.name ?? kubeconfigClusterName(body.kubeconfig, body.context);
    const before = name === undefined ? undefined : await deps.store.clusters.get(name);
    const joined = await deps.registry.join({ ...rest, namespace: createNamespace }).catch((err: unknown) => {
      throw joinRefusal(err);
    });
    const { cluster } = joined;
    const followUp = await rerunsAfterClusterChange(deps, { cluster: cluster.name, before: before?.labels, after: cluster.labels });
    return schemaResponse(joined.rotated ? 200 : 201, JoinClusterResult, { cluster, rotated: joined.rotated, ...followUp });
  },
});

/** The kubeconfig's own name for the cluster, to read the labels a rotation may replace; the join reports bad input. */
function kubeconfigClusterName(kubeconfig: string, context: string | undefined): string | undefined {
  try {
    return parseKubeconfig(kubeconfig, context === undefined ? {} : { context }).clusterName;
  } catch {
    return undefined;
  }
}

/**
 * The registry reports a cluster that refused or could not be reached as a ValidationError on `kubeconfig` (failed
 * probe) or `namespace` (namespace creation); those are not mistakes in the request's form, so they answer 422. Its
 * `namespace` field is this API's `createNamespace`.
 */
function joinRefusal(err: unknown): unknown {
  if (err instanceof ConflictError && err.reason === 'already-exists') {
    return new ApiError('already_exists', `${err.message}; join with "overwrite": true to replace its credentials`);
  }
  if (!(err instanceof ValidationError)) return err;
  const details: ValidationIssue[] = err.details.map((issue) =>
    issue.path === 'namespace' || issue.path.startsWith('namespace.') ? { ...issue, path: issue.path.replace(/^namespace/, 'createNamespace') } : issue,
  );
  const [only] = details;
  if (details.length === 1 && only?.path === 'kubeconfig' && only.message.startsWith('cannot join cluster ')) {
    return new ApiError('cluster_unreachable', only.message, { details });
  }
  if (details.length === 1 && only?.path === 'createNamespace' && only.message.startsWith('cannot create namespace ')) {
    return new ApiError('namespace_not_created', only.message, { details });
  }
  return new ValidationError(details);
}

const listClusters = defineRoute({
  method: 'GET',
  path: '/clusters',
  operationId: 'listClusters',
  summary: 'List member clusters (vela cluster list)',
  tag: 'clusters',
  access: { action: 'clusters:read' },
  responses: { 200: { description: 'Every registered cluster, by name.', schema: ClusterList } },
  handle: async (_input, deps) => schemaResponse(200, ClusterList, { clusters: await deps.registry.list() }),
});

const getCluster = defineRoute({
  method: 'GET',
  path: '/clusters/{name}',
  operationId: 'getCluster',
  summary: 'Show one member cluster',
  tag: 'clusters',
  access: { action: 'clusters:read' },
  params: ClusterPath,
  responses: { 200: { description: 'The cluster.', schema: ClusterView } },
  handle: async ({ params }, deps) => schemaResponse(200, ClusterView, await deps.registry.get(params.name)),
});

async function labelChange(deps: ApiDependencies, name: string, change: () => Promise<ClusterSummary>) {
  const before = await deps.registry.get(name);
  const cluster = await change();
  const followUp = await rerunsAfterClusterChange(deps, { cluster: name, before: before.labels, after: cluster.labels });
  return schemaResponse(200, ClusterChangeView, { cluster, ...followUp });
}

const addLabels = defineRoute({
  method: 'POST',
  path: '/clusters/{name}/labels',
  operationId: 'addClusterLabels',
  summary: 'Add or change cluster labels (vela cluster labels add)',
  description: 'Applications whose label selectors matched the cluster before or match it now run again.',
  tag: 'clusters',
  access: { action: 'clusters:write' },
  params: ClusterPath,
  body: jsonBody(AddLabelsRequest),
  responses: { 200: { description: 'The cluster with its new labels.', schema: ClusterChangeView } },
  handle: ({ params, body }, deps) => labelChange(deps, params.name, () => deps.registry.addLabels(params.name, body.labels)),
});

const removeLabels = defineRoute({
  method: 'DELETE',
  path: '/clusters/{name}/labels',
  operationId: 'removeClusterLabels',
  summary: 'Remove cluster labels (vela cluster labels del)',
  description: 'Every key must be present, or nothing changes. Applications whose label selectors matched the cluster run again.',
  tag: 'clusters',
  access: { action: 'clusters:write' },
  params: ClusterPath,
  query: RemoveLabelsQuery,
  responses: { 200: { description: 'The cluster without those labels.', schema: ClusterChangeView } },
  handle: ({ params, query }, deps) =>
    labelChange(deps, params.name, () =>
      deps.registry.removeLabels(params.name, query.keys).catch((err: unknown) => {
        // The registry names the keys by their place in the list, which this API takes from the query string.
        throw err instanceof ValidationError ? new ValidationError(err.details.map((issue) => ({ ...issue, path: `query.${issue.path}` }))) : err;
      }),
    ),
});

const setCreatableNamespaces = defineRoute({
  method: 'POST',
  path: '/clusters/{name}/namespaces',
  operationId: 'setCreatableNamespaces',
  summary: 'Set the namespaces Flotilla may create in a member cluster',
  description:
    'Admins only. A placement whose topology has createNamespace for a namespace outside the list is refused at submit and fails when its step starts; null lifts the limit, [] allows none. Namespaces that exist already are not touched.',
  tag: 'clusters',
  access: { action: 'clusters:write' },
  params: ClusterPath,
  body: jsonBody(SetCreatableNamespacesRequest),
  responses: { 200: { description: 'The cluster with its new list.', schema: ClusterView } },
  handle: async ({ params, body }, deps) => schemaResponse(200, ClusterView, await deps.registry.setCreatableNamespaces(params.name, body.creatableNamespaces)),
});

const renameCluster = defineRoute({
  method: 'POST',
  path: '/clusters/{name}/rename',
  operationId: 'renameCluster',
  summary: 'Rename a member cluster (vela cluster rename)',
  description: 'Refused while applications have objects in the cluster. Topologies naming the old name are not changed.',
  tag: 'clusters',
  access: { action: 'clusters:write' },
  params: ClusterPath,
  body: jsonBody(RenameClusterRequest),
  responses: { 200: { description: 'The cluster under its new name.', schema: ClusterView } },
  handle: async ({ params, body }, deps) => schemaResponse(200, ClusterView, await deps.registry.rename(params.name, body.newName)),
});

const probeCluster = defineRoute({
  method: 'POST',
  path: '/clusters/{name}/probe',
  operationId: 'probeCluster',
  summary: 'Check a member cluster now (vela cluster probe)',
  description:
    'The applier probes the cluster with its stored credentials (only it may open them). Answers 200 with the outcome once it lands in the record — `accepted` and `message` say whether the API server answered — or 202 with the record as it was if the probe takes longer than 15 s; it still lands.',
  tag: 'clusters',
  access: { action: 'clusters:write' },
  params: ClusterPath,
  responses: {
    200: { description: 'The cluster with the outcome of the probe.', schema: ClusterView },
    202: { description: 'The probe is queued but has not finished yet; the cluster as it was.', schema: ClusterView },
  },
  handle: async ({ params }, deps) => {
    const outcome = await requestProbe({ clusters: deps.store.clusters, queues: deps.queues, now: deps.now }, params.name);
    return schemaResponse(outcome.done ? 200 : 202, ClusterView, outcome.cluster);
  },
});

const detachCluster = defineRoute({
  method: 'DELETE',
  path: '/clusters/{name}',
  operationId: 'detachCluster',
  summary: 'Detach a member cluster (vela cluster detach)',
  description: 'Refused (409) while applications have objects there, naming them, unless `force=true`.',
  tag: 'clusters',
  access: { action: 'clusters:write' },
  params: ClusterPath,
  query: DetachClusterQuery,
  responses: { 200: { description: 'The cluster is gone from the registry.', schema: DetachClusterResult } },
  handle: async ({ params, query }, deps) => {
    const { cluster, orphaned } = await deps.registry.detach(params.name, { force: query.force });
    return schemaResponse(200, DetachClusterResult, { cluster, orphaned });
  },
});

export const clusterRoutes = [joinCluster, listClusters, getCluster, addLabels, removeLabels, setCreatableNamespaces, renameCluster, probeCluster, detachCluster];
