import { requestOperation, requestRevisionRun, type WorkflowOperation } from '../../lib/engine/planner/workflow-operations.ts';
import { ApiError } from '../api-error.ts';
import { schemaResponse } from '../api-response.ts';
import { requireApplication, requireRevision } from '../application-lookup.ts';
import { statusUrl } from '../resource-urls.ts';
import { defineRoute, type Route } from '../route.ts';
import { ApplicationPath, RevisionPath } from '../../contract/parameters.ts';
import { WorkflowOperationAccepted } from '../../contract/workflow-schemas.ts';

/**
 * Every workflow operation is checked here against the workflow as it is and then carried out by the planner, which
 * alone writes runs; the answer is 202 with the run it acts on (or starts) and where to follow it.
 */
function workflowRoute(operation: WorkflowOperation, summary: string): Route {
  return defineRoute({
    method: 'POST',
    path: `/namespaces/{namespace}/applications/{name}/workflow/${operation}`,
    operationId: `${operation}Workflow`,
    summary,
    tag: 'workflow',
    access: { action: 'applications:write', namespaceParam: 'namespace' },
    params: ApplicationPath,
    responses: {
      202: { description: 'Accepted: the planner carries the operation out; follow the status URL.', schema: WorkflowOperationAccepted },
      409: { description: 'Refused: the workflow is not in a state the operation applies to (code workflow_operation_refused).' },
    },
    handle: async ({ params, request }, deps) => {
      await requireApplication(deps.store.applications, params.namespace, params.name);
      const accepted = await requestOperation(deps.engine, params, operation);
      const status = statusUrl(request, params.namespace, params.name);
      return schemaResponse(202, WorkflowOperationAccepted, { runId: accepted.runId, revision: accepted.revisionName, status }, { location: status });
    },
  });
}

const runRevision = defineRoute({
  method: 'POST',
  path: '/namespaces/{namespace}/applications/{name}/revisions/{revision}/run',
  operationId: 'runRevision',
  summary: 'Run a stored revision again (vela up NAME --revision NAME-vN)',
  description:
    "The planner starts a workflow run of the stored revision from its first step, as restart does for the current one; a run still going is superseded, as by a new submit. No new revision is stored; the revision becomes the application's current one, as with rollback.",
  tag: 'workflow',
  access: { action: 'applications:write', namespaceParam: 'namespace' },
  params: RevisionPath,
  responses: {
    202: { description: 'Accepted: the planner starts the run; follow the status URL.', schema: WorkflowOperationAccepted },
    409: { description: 'Refused: the application is being deleted (code application_deleting).' },
  },
  handle: async ({ params, request }, deps) => {
    const { record, revision } = await requireRevision(deps.store.applications, params);
    if (record.deleting) throw new ApiError('application_deleting', `application ${params.namespace}/${params.name} is being deleted; it runs nothing more`);
    const accepted = await requestRevisionRun(deps.engine, params, revision.revision);
    const status = statusUrl(request, params.namespace, params.name);
    return schemaResponse(202, WorkflowOperationAccepted, { runId: accepted.runId, revision: accepted.revisionName, status }, { location: status });
  },
});

export const workflowRoutes: Route[] = [
  workflowRoute('suspend', 'Suspend the running workflow (vela workflow suspend)'),
  workflowRoute('resume', 'Resume a suspended workflow (vela workflow resume)'),
  workflowRoute('terminate', 'Terminate the workflow (vela workflow terminate)'),
  workflowRoute('restart', 'Run the current revision again (vela workflow restart)'),
  workflowRoute('rollback', 'Run the newest revision that succeeded before (vela workflow rollback)'),
  runRevision,
];
