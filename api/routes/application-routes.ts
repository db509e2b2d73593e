import { ApiError } from '../api-error.ts';
import { ApplicationStatus } from '../../lib/core/status/application-status.ts';
import { loadStatus } from '../../lib/engine/status/load-status.ts';
import { renderStatus } from '../../lib/core/status/render-status.ts';
import { latestRevisionOf, type ApplicationRecord } from '../../lib/core/application/application-record.ts';
import { runningRevision } from '../../lib/engine/status/running-revision.ts';
import { newRunId } from '../../lib/core/run/run.ts';
import { applicationNotFound, requireApplication, requireRevision } from '../application-lookup.ts';
import { headerOf } from '../api-request.ts';
import { schemaResponse, textResponse } from '../api-response.ts';
import { mayAccess, requireAllowed } from '../authentication.ts';
import { preferredMediaType } from '../content-negotiation.ts';
import { applicationBody } from '../request-body.ts';
import { statusUrl } from '../resource-urls.ts';
import { defineRoute } from '../route.ts';
import {
  ApplicationDetail,
  ApplicationList,
  DeleteApplicationQuery,
  DeleteApplicationResult,
  ListApplicationsQuery,
  OrphanList,
  RevisionDetail,
  RevisionList,
  StatusQuery,
  SubmitApplicationResult,
} from '../../contract/application-schemas.ts';
import { ApplicationPath, RevisionPath } from '../../contract/parameters.ts';
import { storedDocument } from '../stored-document.ts';
import type { RevisionRecord } from '../../lib/core/application/application-record.ts';
import type { RunStore } from '../../lib/engine/ports/store.ts';
import { runRequest } from '../../lib/engine/messages/planner-message.ts';
import { errorMessage } from '../../lib/core/errors/error-message.ts';
import { ValidationError } from '../../lib/core/errors/validation-error.ts';
import type { Application } from '../../lib/core/application/application.ts';
import type { SubmitScope } from '../../lib/core/application/application-record.ts';
import type { ClusterRecord } from '../../lib/core/cluster/cluster-record.ts';
import { confinementIssues, createsNamespaces, isConfined, submitPlacements, unclassifiedKinds } from '../../lib/core/tenancy/confinement.ts';
import { namespaceCreationIssues } from '../../lib/core/tenancy/namespace-creation.ts';
import { discoverKinds } from '../../lib/engine/clusters/kind-discovery.ts';
import type { ApiDependencies } from '../api-dependencies.ts';
import type { ClusterInfo } from '../../lib/core/policy/cluster-info.ts';
import { unregisteredClusterIssues } from '../../lib/core/policy/unregistered-clusters.ts';
import { submitApplication } from '../../lib/engine/secrets/application-secrets.ts';
import { redactSecretValues } from '../../lib/core/secret/secret-values.ts';
import type { Store } from '../../lib/engine/ports/store.ts';

const submitApplicationRoute = defineRoute({
  method: 'POST',
  path: '/applications',
  operationId: 'submitApplication',
  summary: 'Submit an Application (vela up)',
  description:
    'The body is a core.oam.dev/v1beta1 Application in YAML (Content-Type application/yaml) or JSON (application/json). A new revision is stored when the spec or app.oam.dev/publishVersion changed, and its workflow is queued; an unchanged resubmit queues nothing.',
  tag: 'applications',
  access: { action: 'applications:write' },
  body: applicationBody,
  responses: { 202: { description: 'Accepted; follow the status URL (also in the Location header).', schema: SubmitApplicationResult } },
  handle: async ({ body: application, principal, request }, deps) => {
    const { namespace, name } = application.metadata;
    requireAllowed(principal, 'applications:write', namespace);
    const scope: SubmitScope = {
      tokenId: principal.tokenId,
      namespaces: [...principal.namespaces],
      ...(principal.clusters === undefined ? {} : { clusters: principal.clusters }),
    };
    const records = await deps.store.clusters.list();
    const registry = records.map((cluster) => ({ name: cluster.name, labels: cluster.labels }));
    requireRegisteredClusters(application, registry);
    await requirePlacementsAllowed(deps, application, scope, records);
    const submitted = await submitApplication({ applications: deps.store.applications, cipher: deps.cipher }, application, deps.now(), { scope });
    const revision = submitted.revision.revision;
    if (submitted.outcome === 'created') {
      try {
        await deps.queues.toPlanner([runRequest({ namespace, name, revision, reason: 'submit' }, deps.now())]);
      } catch (err) {
        // The revision is stored and a resubmit would find it unchanged; say how to run it rather than a bare 500.
        deps.log('error', 'could not queue the run of a new revision', { namespace, name, revision, error: errorMessage(err) });
        throw new ApiError(
          'queue_unavailable',
          `revision ${submitted.revision.revisionName} is stored but its workflow could not be queued; start it with \`flotilla workflow restart ${name} -n ${namespace}\``,
        );
      }
    }
    const status = statusUrl(request, namespace, name);
    // An unchanged resubmit starts nothing: the answer says why, and what runs instead.
    const latest = submitted.outcome === 'unchanged' ? (await deps.store.runs.listForApplication(namespace, name))[0] : undefined;
    const result = {
      name,
      namespace,
      revision: submitted.revision.revisionName,
      revisionNumber: revision,
      outcome: submitted.outcome,
      ...(submitted.outcome === 'unchanged' ? { unchangedBecause: submitted.because } : {}),
      ...(submitted.revision.publishVersion === undefined ? {} : { publishVersion: submitted.revision.publishVersion }),
      status,
      ...(latest ? { latestRun: { revision: latest.revisionName, phase: latest.phase } } : {}),
    };
    return schemaResponse(202, SubmitApplicationResult, result, { location: status });
  },
});

/**
 * 403 when what the document renders would leave the token's namespaces (the appliers apply with the cluster's admin
 * credentials, so the namespace of the document alone limits nothing) or place on a cluster outside its cluster
 * scope, or would create a namespace a registered cluster does not let Flotilla create (for every token). Kinds only
 * discovery can classify are asked of the placed clusters through the applier, briefly. Documents that neither are
 * confined nor create namespaces skip the rendering.
 */
export async function requirePlacementsAllowed(deps: ApiDependencies, application: Application, scope: SubmitScope, records: readonly ClusterRecord[]): Promise<void> {
  const confined = isConfined(scope);
  if (!confined && !createsNamespaces(application)) return;
  const clusters = records.map((cluster) => ({ name: cluster.name, labels: cluster.labels }));
  const placements = submitPlacements(application, clusters);
  const issues = namespaceCreationIssues(application, placements, records);
  if (confined) {
    const wanted = unclassifiedKinds(placements, scope);
    const discovered = wanted.size === 0 ? {} : await discoverKinds({ clusters: deps.store.clusters, queues: deps.queues, now: deps.now }, records, wanted);
    issues.push(...confinementIssues(application, placements, scope, clusters, { discovered, unanswered: 'refuse' }));
  }
  if (issues.length > 0) throw new ApiError('forbidden', new ValidationError(issues).message, { details: issues });
}

/** 400 naming each unregistered cluster a topology lists and the clusters that exist (nothing is stored). */
function requireRegisteredClusters(application: Application, registry: readonly ClusterInfo[]): void {
  const issues = unregisteredClusterIssues(application, registry.map((cluster) => cluster.name));
  if (issues.length > 0) throw new ValidationError(issues);
}

/** The revision shown is the one the clusters run (the live run's), which after a rollback is not the newest. */
async function summarizeApplication(store: Store, record: ApplicationRecord) {
  const running = await runningRevision(store, record);
  return {
    namespace: record.namespace,
    name: record.name,
    revision: running.revisionName,
    revisionNumber: running.revision,
    publishVersion: running.publishVersion,
    newestRevision: `${record.name}-v${latestRevisionOf(record)}`,
    deleting: record.deleting,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

const listApplications = defineRoute({
  method: 'GET',
  path: '/applications',
  operationId: 'listApplications',
  summary: 'List applications (vela ls)',
  tag: 'applications',
  access: { action: 'applications:read' },
  query: ListApplicationsQuery,
  responses: { 200: { description: 'By namespace, then name.', schema: ApplicationList } },
  handle: async ({ query, principal }, deps) => {
    let records: ApplicationRecord[];
    if (query.namespace !== undefined) {
      requireAllowed(principal, 'applications:read', query.namespace);
      records = await deps.store.applications.list(query.namespace);
    } else {
      // A token limited to namespaces sees its namespaces rather than a refusal.
      records = (await deps.store.applications.listAll()).filter((record) => mayAccess(principal, 'applications:read', record.namespace));
    }
    return schemaResponse(200, ApplicationList, { applications: await Promise.all(records.map((record) => summarizeApplication(deps.store, record))) });
  },
});

const getApplication = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}',
  operationId: 'getApplication',
  summary: 'Show an application and its current revision',
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: { 200: { description: 'The application.', schema: ApplicationDetail } },
  handle: async ({ params }, deps) => {
    const record = await requireApplication(deps.store.applications, params.namespace, params.name);
    const revision = await deps.store.applications.getRevision(params.namespace, params.name, record.currentRevision);
    return schemaResponse(200, ApplicationDetail, { ...(await summarizeApplication(deps.store, record)), document: revision && storedDocument(revision) });
  },
});

const listRevisions = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}/revisions',
  operationId: 'listRevisions',
  summary: "List an application's revisions (vela revision list)",
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: { 200: { description: 'Newest first.', schema: RevisionList } },
  handle: async ({ params }, deps) => {
    const record = await requireApplication(deps.store.applications, params.namespace, params.name);
    const [revisions, runs, running] = await Promise.all([
      deps.store.applications.listRevisions(params.namespace, params.name),
      deps.store.runs.listForApplication(params.namespace, params.name),
      runningRevision(deps.store, record),
    ]);
    const succeeded = succeededRevisions(runs);
    return schemaResponse(200, RevisionList, { revisions: revisions.map((revision) => revisionView(revision, running.revision, succeeded)) });
  },
});

const getRevision = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}/revisions/{revision}',
  operationId: 'getRevision',
  summary: 'Show one stored revision and its Application document (vela revision get)',
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: RevisionPath,
  responses: { 200: { description: 'The revision with the document stored for it.', schema: RevisionDetail } },
  handle: async ({ params }, deps) => {
    const { record, revision } = await requireRevision(deps.store.applications, params);
    const [runs, running] = await Promise.all([deps.store.runs.listForApplication(params.namespace, params.name), runningRevision(deps.store, record)]);
    return schemaResponse(200, RevisionDetail, { ...revisionView(revision, running.revision, succeededRevisions(runs)), document: storedDocument(revision) });
  },
});

function succeededRevisions(runs: Awaited<ReturnType<RunStore['listForApplication']>>): Set<number> {
  return new Set(runs.filter((run) => run.phase === 'succeeded').map((run) => run.revision));
}

/** `current`: the revision the clusters run (the live run's), as `ls` and status show it. */
function revisionView(revision: RevisionRecord, running: number, succeeded: ReadonlySet<number>) {
  return {
    name: revision.revisionName,
    revisionNumber: revision.revision,
    publishVersion: revision.publishVersion,
    specHash: revision.specHash,
    createdAt: revision.createdAt,
    current: revision.revision === running,
    succeeded: succeeded.has(revision.revision),
  };
}

const deleteApplication = defineRoute({
  method: 'DELETE',
  path: '/namespaces/{namespace}/applications/{name}',
  operationId: 'deleteApplication',
  summary: 'Delete an application from every cluster (vela delete)',
  description:
    "Marks the application as deleting and queues the removal of its objects; the records go once the objects are gone. Deleting again re-queues the removal, e.g. with force=true when a cluster stays unreachable.",
  tag: 'applications',
  access: { action: 'applications:write', namespaceParam: 'namespace' },
  params: ApplicationPath,
  query: DeleteApplicationQuery,
  responses: { 202: { description: 'Accepted; the status URL shows `deleting` until the application is gone.', schema: DeleteApplicationResult } },
  handle: async ({ params, query, request }, deps) => {
    const { namespace, name } = params;
    const record = await requireApplication(deps.store.applications, namespace, name);
    await deps.store.applications.markDeleting(namespace, name, record.version, deps.now());
    await deps.queues.toPlanner([{ kind: 'delete', namespace, name, force: query.force }]);
    const status = statusUrl(request, namespace, name);
    return schemaResponse(202, DeleteApplicationResult, { namespace, name, deleting: true, force: query.force, status }, { location: status });
  },
});

const listOrphans = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}/orphans',
  operationId: 'listApplicationOrphans',
  summary: "Objects of an application left behind in clusters that could not be reached (also after it is gone)",
  description:
    'What a forced delete (or a forced detach) left in a cluster, per cluster and revision, with why. Answers for an application that is already deleted, since that is when the list matters.',
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: { 200: { description: 'The orphans, oldest first.', schema: OrphanList } },
  handle: async ({ params }, deps) => {
    const records = await deps.store.inventories.listOrphans();
    const orphans = records.flatMap((record) =>
      record.inventories
        .filter((inventory) => inventory.namespace === params.namespace && inventory.application === params.name)
        .map((inventory) => ({
          cluster: record.cluster,
          revision: inventory.revision,
          resources: inventory.resources.map(({ apiVersion, kind, namespace, name }) => ({ apiVersion, kind, ...(namespace ? { namespace } : {}), name })),
          ...(record.reason ? { reason: record.reason } : {}),
          recordedAt: record.detachedAt,
        })),
    );
    return schemaResponse(200, OrphanList, { orphans });
  },
});

const statusTypes = ['application/json', 'text/plain', 'application/yaml'] as const;

const getStatus = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}/status',
  operationId: 'getApplicationStatus',
  summary: "An application's status (vela status)",
  description:
    'JSON by default. `Accept: text/plain` answers with the layout `vela status` prints (About, Workflow, Services), `Accept: application/yaml` with the same data as YAML.',
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  query: StatusQuery,
  responses: { 200: { description: 'The status.', schema: ApplicationStatus, alternatives: ['text/plain', 'application/yaml'] } },
  handle: async ({ params, query, request }, deps) => {
    const status = await loadStatus(deps.store, params.namespace, params.name, deps.prices);
    if (status === undefined) throw applicationNotFound(params.namespace, params.name);
    const mediaType = preferredMediaType(headerOf(request, 'accept'), statusTypes);
    const format = mediaType === 'text/plain' ? 'text' : mediaType === 'application/yaml' ? 'yaml' : 'json';
    const contentType = format === 'text' ? 'text/plain; charset=utf-8' : mediaType;
    return textResponse(200, renderStatus(status, format, { svc: query.svc }), contentType);
  },
});

export const applicationRoutes = [submitApplicationRoute, listApplications, getApplication, listRevisions, getRevision, deleteApplication, listOrphans, getStatus];
