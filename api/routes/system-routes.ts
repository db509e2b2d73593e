import { jsonResponse, schemaResponse } from '../api-response.ts';
import { defineRoute, type Route } from '../route.ts';
import { HealthStatus, OpenApiDocument } from '../../contract/system-schemas.ts';

export const healthRoute = defineRoute({
  method: 'GET',
  path: '/healthz',
  operationId: 'health',
  summary: 'Liveness',
  description: 'Answers without touching the store, so it says the function runs, not that its dependencies do.',
  tag: 'system',
  access: { public: true },
  responses: { 200: { description: 'The API function is up.', schema: HealthStatus } },
  handle: async () => schemaResponse(200, HealthStatus, { status: 'ok' }),
});

/** The document is built from the whole route table, this route included, so the table hands it in. */
export function openApiRoute(document: () => Record<string, unknown>): Route {
  return defineRoute({
    method: 'GET',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'system',
    access: { public: true },
    responses: { 200: { description: 'The OpenAPI document.', schema: OpenApiDocument } },
    handle: async () => jsonResponse(200, document()),
  });
}
