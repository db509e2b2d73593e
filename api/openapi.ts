import * as z from 'zod';
import { Application } from '../lib/core/application/application.ts';
import { ApplicationStatus } from '../lib/core/status/application-status.ts';
import type { Route } from './route.ts';
import * as applicationSchemas from '../contract/application-schemas.ts';
import * as chatopsSchemas from '../contract/chatops-schemas.ts';
import * as clusterSchemas from '../contract/cluster-schemas.ts';
import * as errorSchemas from '../contract/error-schemas.ts';
import * as systemSchemas from '../contract/system-schemas.ts';
import * as tokenSchemas from '../contract/token-schemas.ts';
import * as notificationSchemas from '../contract/notification-schemas.ts';
import * as triggerSchemas from '../contract/trigger-schemas.ts';
import * as workflowSchemas from '../contract/workflow-schemas.ts';
import * as querySchemas from '../contract/query-schemas.ts';

type JsonSchema = Record<string, unknown>;

/** Component names are the schemas' export names, so the document and the code use the same words. */
const schemaNames = new Map<z.ZodType, string>([
  [Application, 'Application'],
  [ApplicationStatus, 'ApplicationStatus'],
  ...[applicationSchemas, clusterSchemas, errorSchemas, systemSchemas, tokenSchemas, workflowSchemas, triggerSchemas, notificationSchemas, chatopsSchemas, querySchemas].flatMap((module) =>
    Object.entries(module).filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType).map(([name, schema]) => [schema, name] as const),
  ),
]);

const errorResponses: Record<number, { name: string; description: string }> = {
  400: { name: 'ValidationFailed', description: 'The input is wrong (code validation_failed); details lists every problem with its path.' },
  401: { name: 'Unauthenticated', description: 'No valid bearer token, or a webhook or Slack signature that does not verify (code unauthenticated).' },
  403: { name: 'Forbidden', description: "The token's role or namespaces do not allow this (code forbidden)." },
  404: { name: 'NotFound', description: 'No such resource (codes cluster_not_found, application_not_found, token_not_found, trigger_not_found, query_not_found).' },
  409: { name: 'Conflict', description: 'The request conflicts with the current state (codes already_exists, conflict, application_deleting, cluster_in_use, workflow_operation_refused).' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than the configured limit (code payload_too_large).' },
  415: { name: 'UnsupportedMediaType', description: 'The Content-Type is not one the route reads (code unsupported_media_type).' },
  422: {
    name: 'Unprocessable',
    description:
      "The member cluster could not be reached or refused (codes cluster_unreachable, namespace_not_created), or a trigger's component no longer fits (trigger_misconfigured); the message says which and why.",
  },
  500: { name: 'Internal', description: 'An unexpected failure (code internal); the message quotes the request id to look up in the log.' },
};

/**
 * The OpenAPI 3.1 document of the route table, generated from the same zod schemas the routes validate with: request
 * schemas as the client sends them (`io: input`), response schemas as the server produces them (`io: output`).
 */
export function buildOpenApiDocument(routes: readonly Route[]): JsonSchema {
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  const nameOf = (schema: z.ZodType, fallback: string) => schemaNames.get(schema) ?? fallback;
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description === undefined ? {} : { description: route.description }),
      tags: [route.tag],
      ...('public' in route.access ? { security: [] } : {}),
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
    };
    if (route.body !== undefined) {
      const name = nameOf(route.body.schema, `${route.operationId}Request`);
      if (!requests.has(route.body.schema)) requests.add(route.body.schema, { id: name });
      operation.requestBody = { required: true, content: Object.fromEntries(route.body.mediaTypes.map((type) => [type, { schema: ref(name) }])) };
    }
    const answers: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      if (Number(status) >= 400 && spec.schema === undefined) {
        answers[status] = { description: spec.description, content: { 'application/json': { schema: ref('ErrorBody') } } };
        continue;
      }
      const content: Record<string, unknown> = {};
      if (spec.schema !== undefined) {
        const name = nameOf(spec.schema, `${route.operationId}Response${status}`);
        if (!responses.has(spec.schema)) responses.add(spec.schema, { id: name });
        content['application/json'] = { schema: ref(name) };
      }
      for (const type of spec.alternatives ?? []) content[type] = { schema: { type: 'string' } };
      answers[status] = { description: spec.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
    }
    for (const status of errorStatusesOf(route)) answers[status] ??= { $ref: `#/components/responses/${errorResponses[status]!.name}` };
    operation.responses = answers;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  if (!responses.has(errorSchemas.ErrorBody)) responses.add(errorSchemas.ErrorBody, { id: 'ErrorBody' });

  const uri = (id: string) => `#/components/schemas/${id}`;
  const schemas = {
    ...componentSchemas(z.toJSONSchema(requests, { io: 'input', uri, unrepresentable: 'any' }).schemas),
    ...componentSchemas(z.toJSONSchema(responses, { io: 'output', uri, unrepresentable: 'any' }).schemas),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Flotilla API',
      version: '1.0.0',
      description: 'KubeVela-style multi-cluster delivery on AWS: member clusters, OAM Applications, their workflows, and bearer tokens. docs/api.md explains each route.',
    },
    security: [{ bearer: [] }],
    tags: [
      { name: 'system', description: 'Health and this document; no token needed.' },
      { name: 'clusters', description: 'The member cluster registry (vela cluster ...).' },
      { name: 'applications', description: 'Applications, revisions and status (vela up, ls, status, delete).' },
      { name: 'workflow', description: 'Workflow operations (vela workflow ...).' },
      { name: 'tokens', description: 'Bearer tokens; admin only.' },
      { name: 'triggers', description: 'CI triggers: rules per application, and the webhooks and EventBridge events they act on (docs/triggers.md).' },
      { name: 'chatops', description: 'Slack slash commands and a status for other bots; read-only.' },
    ],
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        Object.values(errorResponses).map(({ name, description }) => [name, { description, content: { 'application/json': { schema: ref('ErrorBody') } } }]),
      ),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Flotilla token (flt_...), created with POST /tokens.' } },
    },
  };
}

/** The error answers a route can give, from what it reads and who may call it. */
function errorStatusesOf(route: Route): number[] {
  const bearer = !('public' in route.access);
  const signed = 'public' in route.access && route.access.signature !== undefined;
  const statuses = [400];
  if (bearer) statuses.push(401, 403);
  if (signed) statuses.push(401);
  if (route.path.includes('{')) statuses.push(404);
  if ((bearer || signed) && route.method !== 'GET') statuses.push(409);
  if (route.body !== undefined || signed) statuses.push(413);
  if (route.body !== undefined) statuses.push(415);
  statuses.push(500);
  return statuses;
}

/** Path or query parameters from the route's object schema, one per property. */
function parametersOf(schema: z.ZodType, location: 'path' | 'query'): Record<string, unknown>[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** OpenAPI components are bare schemas: drop the per-document keywords toJSONSchema adds to each. */
function componentSchemas(generated: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(generated).map(([name, { $schema: _schema, $id: _id, ...schema }]) => [name, schema]),
  );
}
