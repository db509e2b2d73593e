import { ApiError } from '../api-error.ts';
import { jsonResponse, schemaResponse } from '../api-response.ts';
import { defineRoute, type Route } from '../route.ts';
import { retryAfterSeconds } from '../../lib/adapters/aws/infrastructure-fault.ts';
import { ErrorBody } from '../../contract/error-schemas.ts';
import { HealthStatus, OpenApiDocument } from '../../contract/system-schemas.ts';

export const healthRoute = defineRoute({
  method: 'GET',
  path: '/healthz',
  operationId: 'health',
  summary: 'Health of the API and its store and queues',
  description:
    'Reads one absent key of the table and the attributes of each queue, at once and within a few seconds (answers are shared for a moment, so probing often costs nothing more). 503 names each part that is down in `details`.',
  tag: 'system',
  access: { public: true },
  responses: {
    200: { description: 'The API function, the store and the queues are up.', schema: HealthStatus },
    503: { description: 'The store (`store_unavailable`) or a queue (`queue_unavailable`) is down; `details` names which.', schema: ErrorBody },
  },
  handle: async (_input, deps) => {
    const checks = await deps.checkDependencies();
    const down = checks.filter((check) => !check.ok);
    if (down.length === 0) return schemaResponse(200, HealthStatus, { status: 'ok', checks: { store: 'ok', queues: 'ok' } });
    deps.log('warn', 'health check failed', { down: down.map(({ part, detail }) => ({ part, detail })) });
    const storeDown = down.some((check) => check.part === 'store');
    const retryAfter = Math.min(...down.map((check) => (check.fault === undefined ? 5 : retryAfterSeconds(check.fault))));
    throw new ApiError(
      storeDown ? 'store_unavailable' : 'queue_unavailable',
      `unavailable: ${down.map((check) => `${check.part} ${check.problem ?? 'failed'}`).join('; ')}`,
      { details: down.map((check) => ({ path: check.part, message: check.problem ?? 'failed' })), headers: { 'retry-after': String(retryAfter) } },
    );
  },
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
