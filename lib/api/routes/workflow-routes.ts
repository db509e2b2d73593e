import {
  restartWorkflow,
  resumeWorkflow,
  rollbackWorkflow,
  suspendWorkflow,
  terminateWorkflow,
  type AppRef,
} from '../../run/workflow-operations.ts';
import type { Engine } from '../../run/engine.ts';
import type { RunRecord } from '../../store/run-store.ts';
import { ApiError } from '../api-error.ts';
import { schemaResponse } from '../api-response.ts';
import { statusUrl } from '../resource-urls.ts';
import { defineRoute, type Route } from '../route.ts';
import { ApplicationPath } from '../schemas/parameters.ts';
import { WorkflowRunQueued, WorkflowRunView } from '../schemas/workflow-schemas.ts';

/** Operations that change the latest run in place; they answer with the run as it is now. */
const inPlace: { operation: string; summary: string; run: (engine: Engine, app: AppRef) => Promise<RunRecord> }[] = [
  { operation: 'suspend', summary: 'Suspend the running workflow (vela workflow suspend)', run: suspendWorkflow },
  { operation: 'resume', summary: 'Resume a suspended workflow (vela workflow resume)', run: resumeWorkflow },
  { operation: 'terminate', summary: 'Terminate the workflow (vela workflow terminate)', run: terminateWorkflow },
];

/** Operations that queue a fresh run for the planner. */
const queued: { operation: string; summary: string; run: (engine: Engine, app: AppRef) => Promise<{ runId: string; revision: number }> }[] = [
  { operation: 'restart', summary: 'Run the current revision again (vela workflow restart)', run: restartWorkflow },
  { operation: 'rollback', summary: 'Run the newest revision that succeeded before (vela workflow rollback)', run: rollbackWorkflow },
];

const pathOf = (operation: string) => `/namespaces/{namespace}/applications/{name}/workflow/${operation}`;
const refusal = { description: 'Refused: the workflow is not in a state the operation applies to (code workflow_operation_refused).' };

async function requireApplication(engine: Engine, app: AppRef): Promise<void> {
  if ((await engine.store.applications.get(app.namespace, app.name)) === undefined) {
    throw new ApiError('application_not_found', `no application ${app.name} in namespace ${app.namespace}`);
  }
}

const inPlaceRoutes = inPlace.map(({ operation, summary, run }) =>
  defineRoute({
    method: 'POST',
    path: pathOf(operation),
    operationId: `${operation}Workflow`,
    summary,
    tag: 'workflow',
    access: { action: 'applications:write', namespaceParam: 'namespace' },
    params: ApplicationPath,
    responses: { 200: { description: 'The latest run after the operation.', schema: WorkflowRunView }, 409: refusal },
    handle: async ({ params }, deps) => {
      await requireApplication(deps.engine, params);
      const record = await run(deps.engine, params);
      return schemaResponse(200, WorkflowRunView, {
        runId: record.runId,
        revision: record.revisionName,
        phase: record.phase,
        message: record.message,
        steps: record.steps.map((step) => ({ name: step.name, type: step.type, phase: step.phase, message: step.message })),
      });
    },
  }),
);

const queuedRoutes = queued.map(({ operation, summary, run }) =>
  defineRoute({
    method: 'POST',
    path: pathOf(operation),
    operationId: `${operation}Workflow`,
    summary,
    tag: 'workflow',
    access: { action: 'applications:write', namespaceParam: 'namespace' },
    params: ApplicationPath,
    responses: { 202: { description: 'The run is queued; follow the status URL.', schema: WorkflowRunQueued }, 409: refusal },
    handle: async ({ params, request }, deps) => {
      await requireApplication(deps.engine, params);
      const { runId, revision } = await run(deps.engine, params);
      const status = statusUrl(request, params.namespace, params.name);
      return schemaResponse(202, WorkflowRunQueued, { runId, revision: `${params.name}-v${revision}`, status }, { location: status });
    },
  }),
);

export const workflowRoutes: Route[] = [...inPlaceRoutes, ...queuedRoutes];
