import type { ApiDependencies } from '../api-dependencies.ts';
import { ApiError } from '../api-error.ts';
import type { ApiRequest } from '../api-request.ts';
import { schemaResponse } from '../api-response.ts';
import { requireApplication } from '../application-lookup.ts';
import { requireAllowed } from '../authentication.ts';
import { applicationBody } from '../request-body.ts';
import { defineRoute } from '../route.ts';
import { requirePlacementsAllowed } from './application-routes.ts';
import { ApplicationPath } from '../../contract/parameters.ts';
import {
  ApplicationTree,
  DiffQuery,
  DiffResult,
  EndpointsResult,
  LogsQuery,
  LogsResult,
  QueryPath,
  QueryView,
} from '../../contract/query-schemas.ts';
import type { QueryPart } from '../../lib/core/query/cluster-query.ts';
import { endpointObjects, podSelections } from '../../lib/core/query/endpoints.ts';
import { queryLimits } from '../../lib/core/query/query-limits.ts';
import { treeOf } from '../../lib/core/query/application-tree.ts';
import { diffApplication } from '../../lib/engine/queries/diff-application.ts';
import { loadDeployment, type DeployedTarget } from '../../lib/engine/queries/deployed-targets.ts';
import { requestQuery, waitForQuery, type QueryOutcome, type QueryTarget } from '../../lib/engine/queries/request-query.ts';

function pollUrl(request: ApiRequest, namespace: string, id: string): string {
  return `${request.baseUrl}/namespaces/${encodeURIComponent(namespace)}/queries/${id}`;
}

function queryView(request: ApiRequest, owner: { namespace: string; name: string }, kind: QueryView['kind'], outcome: QueryOutcome): QueryView {
  return {
    id: outcome.queryId,
    kind,
    namespace: owner.namespace,
    name: owner.name,
    done: outcome.done,
    poll: pollUrl(request, owner.namespace, outcome.queryId),
    parts: outcome.parts.map(partView),
  };
}

function partView(part: QueryPart) {
  return {
    cluster: part.cluster,
    namespace: part.targetNamespace,
    state: part.state,
    ...(part.message === undefined ? {} : { message: part.message }),
    ...(part.answer === undefined ? {} : { answer: part.answer }),
  };
}

function queryDeps(deps: ApiDependencies) {
  return { store: deps.store, queues: deps.queues, now: deps.now };
}

const bounds = `Read by the applier with the cluster's stored credentials (the API never opens them), at most ${queryLimits.partBudgetMs / 1000} s per cluster; the API waits up to ${queryLimits.waitMs / 1000} s and answers 200, or 202 with \`poll\` (also in Location) to GET until \`done\`. Answers are kept ${queryLimits.keepSeconds / 60} minutes.`;

const diffApplicationRoute = defineRoute({
  method: 'POST',
  path: '/applications/diff',
  operationId: 'diffApplication',
  summary: 'What submitting an Application would change (vela live-diff / dry-run)',
  description: `Renders the document and the current revision with the planner against the registry as it is now and lists, per cluster and object, what would be added, changed (with the fields) or removed. With live=true each cluster also server-side-applies the new objects with dryRun=All and the answer shows what it would change on the live objects. ${bounds}`,
  tag: 'applications',
  access: { action: 'applications:read' },
  body: applicationBody,
  query: DiffQuery,
  responses: {
    200: { description: 'The diff (and the live dry run, when asked).', schema: DiffResult },
    202: { description: 'The diff; the live dry run has not finished in every cluster yet: GET `live.poll`.', schema: DiffResult },
  },
  handle: async ({ body: application, query, principal, request }, deps) => {
    const { namespace, name } = application.metadata;
    requireAllowed(principal, 'applications:read', namespace);
    if (principal !== undefined) {
      // The same refusals as a submit of this document would get, so a diff shows nothing a submit could not do.
      const scope = { tokenId: principal.tokenId, namespaces: [...principal.namespaces], ...(principal.clusters === undefined ? {} : { clusters: principal.clusters }) };
      await requirePlacementsAllowed(deps, application, scope, await deps.store.clusters.list());
    }
    const diff = await diffApplication(deps.store, application);
    const result = { namespace, name, ...(diff.current === undefined ? {} : { current: diff.current }), clusters: diff.clusters };
    if (!query.live) return schemaResponse(200, DiffResult, result);
    const targets: QueryTarget[] = diff.placements.map((placement) => ({
      cluster: placement.cluster,
      targetNamespace: placement.namespace,
      // Secrets are left out: their values are never stored with a query nor echoed, and `<redacted>` cannot be dry-run.
      request: { kind: 'live-diff', objects: placement.resources.filter((object) => !(object.apiVersion === 'v1' && object.kind === 'Secret')) },
    }));
    const outcome = await requestQuery(queryDeps(deps), { namespace, application: name }, targets);
    const live = queryView(request, { namespace, name }, 'live-diff', outcome);
    return schemaResponse(outcome.done ? 200 : 202, DiffResult, { ...result, live }, outcome.done ? {} : { location: live.poll });
  },
});

const getTree = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}/tree',
  operationId: 'getApplicationTree',
  summary: "An application's objects per cluster (vela status --tree)",
  description: `Cluster -> objects the newest run applied, each with its kind, name, its component's health as last read, and its drift: a server-side dry run of what was applied, compared with the live object (none, drifted with the fields, missing, or unknown when a cluster did not answer within the wait). ${bounds.split(';')[0]}.`,
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: { 200: { description: 'The tree.', schema: ApplicationTree } },
  handle: async ({ params }, deps) => {
    await requireApplication(deps.store.applications, params.namespace, params.name);
    const deployment = await loadDeployment(deps.store, params.namespace, params.name);
    const outcome = await requestQuery(
      queryDeps(deps),
      { namespace: params.namespace, application: params.name },
      deployment.targets.map((target) => ({ cluster: target.cluster, targetNamespace: target.namespace, request: { kind: 'live-diff', objects: target.resources } })),
    );
    const clusters = deployment.targets.map((target, index) => {
      const answer = outcome.parts[index]?.answer;
      return treeOf({ ...target, live: answer?.kind === 'live-diff' ? answer.objects : undefined });
    });
    const unanswered = outcome.parts.filter((part) => part.state !== 'done').map((part) => `${part.cluster}: ${part.message ?? 'no answer within the wait'}`);
    return schemaResponse(200, ApplicationTree, {
      namespace: params.namespace,
      name: params.name,
      ...(deployment.revision === undefined ? {} : { revision: deployment.revision }),
      clusters,
      ...(unanswered.length === 0 ? {} : { message: `drift unknown for ${unanswered.join('; ')}` }),
    });
  },
});

const getEndpoints = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}/endpoints',
  operationId: 'getApplicationEndpoints',
  summary: 'How to reach an application, per cluster and component (vela status --endpoint)',
  description: `The Services (load-balancer addresses, node ports, cluster IP) and Ingresses (hosts, paths and addresses) the newest run applied, read live in each cluster. ${bounds}`,
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: {
    200: { description: 'The endpoints, per cluster.', schema: EndpointsResult },
    202: { description: 'Some cluster has not answered yet: GET `poll`.', schema: EndpointsResult },
  },
  handle: async ({ params, request }, deps) => {
    await requireApplication(deps.store.applications, params.namespace, params.name);
    const deployment = await loadDeployment(deps.store, params.namespace, params.name);
    const targets = deployment.targets.flatMap((target): QueryTarget[] => {
      const objects = endpointObjects(target.resources);
      return objects.length === 0 ? [] : [{ cluster: target.cluster, targetNamespace: target.namespace, request: { kind: 'endpoints', objects } }];
    });
    const outcome = await requestQuery(queryDeps(deps), { namespace: params.namespace, application: params.name }, targets);
    const view = queryView(request, params, 'endpoints', outcome);
    return schemaResponse(outcome.done ? 200 : 202, EndpointsResult, view, outcome.done ? {} : { location: view.poll });
  },
});

const getLogs = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}/logs',
  operationId: 'getApplicationLogs',
  summary: "A snapshot of an application's container logs (vela logs)",
  description: `The last lines of each container of the component's pods, found by its workloads' selectors. A snapshot: there is no follow through Flotilla (a Lambda answers once); \`follow\` lists the kubectl commands that do. At most ${queryLimits.maxPodsPerPart} pods per cluster and ${queryLimits.maxLogBytesPerContainer / 1024} KiB per container. ${bounds}`,
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  query: LogsQuery,
  responses: {
    200: { description: 'The logs, per cluster.', schema: LogsResult },
    202: { description: 'Some cluster has not answered yet: GET `poll`.', schema: LogsResult },
  },
  handle: async ({ params, query, request }, deps) => {
    await requireApplication(deps.store.applications, params.namespace, params.name);
    const deployment = await loadDeployment(deps.store, params.namespace, params.name);
    const chosen = deployment.targets.filter((target) => query.cluster === undefined || target.cluster === query.cluster);
    if (query.cluster !== undefined && chosen.length === 0) {
      const known = [...new Set(deployment.targets.map((target) => target.cluster))].join(', ') || 'none';
      throw new ApiError('validation_failed', `query.cluster: application ${params.name} is not deployed in cluster ${query.cluster}; it is in: ${known}`, {
        details: [{ path: 'query.cluster', message: `not a cluster the application is deployed in (${known})` }],
      });
    }
    const tailLines = query.tail ?? queryLimits.defaultTailLines;
    const targets = chosen.flatMap((target): QueryTarget[] => {
      const pods = podSelections(target.resources, query.component);
      if (pods.length === 0) return [];
      return [{ cluster: target.cluster, targetNamespace: target.namespace, request: { kind: 'logs', pods, tailLines, ...(query.since === undefined ? {} : { sinceSeconds: query.since }) } }];
    });
    if (query.component !== undefined && targets.length === 0) {
      throw new ApiError('validation_failed', `query.component: no workload of component ${query.component} runs pods`, {
        details: [{ path: 'query.component', message: `component ${query.component} has no workload with pods in the deployed revision` }],
      });
    }
    const outcome = await requestQuery(queryDeps(deps), { namespace: params.namespace, application: params.name }, targets);
    const view = { ...queryView(request, params, 'logs', outcome), follow: followCommands(chosen, query.component, tailLines) };
    return schemaResponse(outcome.done ? 200 : 202, LogsResult, view, outcome.done ? {} : { location: view.poll });
  },
});

/** `kubectl logs -f` for each workload, which the caller runs with a kubeconfig of their own. */
function followCommands(targets: readonly DeployedTarget[], component: string | undefined, tailLines: number): string[] {
  const commands = new Set<string>();
  for (const target of targets) {
    for (const selection of podSelections(target.resources, component)) {
      const what = selection.podName !== undefined ? selection.podName : `-l ${Object.entries(selection.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}`;
      commands.add(`kubectl --context ${target.cluster} -n ${target.namespace} logs -f ${what} --all-containers --tail=${tailLines}`);
    }
  }
  return [...commands];
}

const getQuery = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/queries/{id}',
  operationId: 'getQuery',
  summary: 'Read a cluster query again (the poll URL of diff --live, endpoints and logs)',
  description: `Answers right away with what the applier has stored so far; \`done\` says whether every cluster answered. Kept ${queryLimits.keepSeconds / 60} minutes, then 404.`,
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: QueryPath,
  responses: { 200: { description: 'The query as it stands.', schema: QueryView } },
  handle: async ({ params, request }, deps) => {
    const outcome = await waitForQuery(queryDeps(deps), params.id, 0);
    const [first] = outcome.parts;
    // A query of another namespace is as unknown here as one that never was.
    if (first === undefined || first.namespace !== params.namespace) throw new ApiError('query_not_found', `no query ${params.id} in namespace ${params.namespace} (answers are kept ${queryLimits.keepSeconds / 60} minutes)`);
    return schemaResponse(200, QueryView, queryView(request, { namespace: first.namespace, name: first.application }, first.request.kind, outcome));
  },
});

export const queryRoutes = [diffApplicationRoute, getTree, getEndpoints, getLogs, getQuery];
