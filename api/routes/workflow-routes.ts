import type * as z from 'zod';
import {
  restartWorkflow,
  resumeWorkflow,
  rollbackWorkflow,
  suspendWorkflow,
  terminateWorkflow,
  type AppRef,
} from '../../lib/engine/planner/workflow-operations.ts';
import type { Engine } from '../../lib/engine/context.ts';
import type { RunRecord } from '../../lib/core/run/run.ts';
import type { ApiRequest } from '../api-request.ts';
import { schemaResponse } from '../api-response.ts';
import { requireApplication } from '../application-lookup.ts';
import { statusUrl } from '../resource-urls.ts';
import { defineRoute, type Route } from '../route.ts';
import { ApplicationPath } from '../../contract/parameters.ts';
import { WorkflowRunQueued, WorkflowRunView } from '../../contract/workflow-schemas.ts';

interface Answer<S extends z.ZodType> {
  status: number;
  description: string;
  schema: S;
  /** The operation, and its outcome in the answer's shape. */
  run(engine: Engine, app: AppRef, request: ApiRequest): Promise<z.input<S>>;
}

function workflowRoute<S extends z.ZodType>(operation: string, summary: string, answer: Answer<S>): Route {
  return defineRoute({
    method: 'POST',
    path: `/namespaces/{namespace}/applications/{name}/workflow/${operation}`,
    operationId: `${operation}Workflow`,
    summary,
    tag: 'workflow',
    access: { action: 'applications:write', namespaceParam: 'namespace' },
    params: ApplicationPath,
    responses: {
      [answer.status]: { description: answer.description, schema: answer.schema },
      409: { description: 'Refused: the workflow is not in a state the operation applies to (code workflow_operation_refused).' },
    },
    handle: async ({ params, request }, deps) => {
      await requireApplication(deps.store.applications, params.namespace, params.name);
      const body = await answer.run(deps.engine, params, request);
      // Accepted work points at where to follow it, as a submit does.
      const headers: Record<string, string> = answer.status === 202 ? { location: statusUrl(request, params.namespace, params.name) } : {};
      return schemaResponse(answer.status, answer.schema, body, headers);
    },
  });
}

/** Suspend, resume and terminate change the latest run in place; they answer with the run as it is now. */
function inPlace(operate: (engine: Engine, app: AppRef) => Promise<RunRecord>): Answer<typeof WorkflowRunView> {
  return {
    status: 200,
    description: 'The latest run after the operation.',
    schema: WorkflowRunView,
    run: async (engine, app) => {
      const record = await operate(engine, app);
      return {
        runId: record.runId,
        revision: record.revisionName,
        phase: record.phase,
        message: record.message,
        steps: record.steps.map((step) => ({ name: step.name, type: step.type, phase: step.phase, message: step.message })),
      };
    },
  };
}

/** Restart and rollback queue a fresh run for the planner. */
function queued(operate: (engine: Engine, app: AppRef) => Promise<{ runId: string; revision: number }>): Answer<typeof WorkflowRunQueued> {
  return {
    status: 202,
    description: 'The run is queued; follow the status URL.',
    schema: WorkflowRunQueued,
    run: async (engine, app, request) => {
      const { runId, revision } = await operate(engine, app);
      return { runId, revision: `${app.name}-v${revision}`, status: statusUrl(request, app.namespace, app.name) };
    },
  };
}

export const workflowRoutes: Route[] = [
  workflowRoute('suspend', 'Suspend the running workflow (vela workflow suspend)', inPlace(suspendWorkflow)),
  workflowRoute('resume', 'Resume a suspended workflow (vela workflow resume)', inPlace(resumeWorkflow)),
  workflowRoute('terminate', 'Terminate the workflow (vela workflow terminate)', inPlace(terminateWorkflow)),
  workflowRoute('restart', 'Run the current revision again (vela workflow restart)', queued(restartWorkflow)),
  workflowRoute('rollback', 'Run the newest revision that succeeded before (vela workflow rollback)', queued(rollbackWorkflow)),
];
