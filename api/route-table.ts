import { buildOpenApiDocument } from './openapi.ts';
import type { Route } from './route.ts';
import { applicationRoutes } from './routes/application-routes.ts';
import { chatopsRoutes } from './routes/chatops-routes.ts';
import { clusterRoutes } from './routes/cluster-routes.ts';
import { hookRoutes } from './routes/hook-routes.ts';
import { healthRoute, openApiRoute } from './routes/system-routes.ts';
import { tokenRoutes } from './routes/token-routes.ts';
import { triggerRoutes } from './routes/trigger-routes.ts';
import { workflowRoutes } from './routes/workflow-routes.ts';
import { queryRoutes } from './routes/query-routes.ts';
import { notificationRoutes } from './routes/notification-routes.ts';

let document: Record<string, unknown> | undefined;

/** Built on first request, once per container. */
export function openApiDocument(): Record<string, unknown> {
  document ??= buildOpenApiDocument(routeTable);
  return document;
}

/** Every route of the API: what the router serves, what the OpenAPI document and docs/api.md describe. */
export const routeTable: readonly Route[] = [
  healthRoute,
  openApiRoute(openApiDocument),
  ...clusterRoutes,
  ...applicationRoutes,
  ...queryRoutes,
  ...workflowRoutes,
  ...tokenRoutes,
  ...triggerRoutes,
  ...notificationRoutes,
  ...hookRoutes,
  ...chatopsRoutes,
];
