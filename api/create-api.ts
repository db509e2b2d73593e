import { parseWith } from '../lib/core/errors/zod-issues.ts';
import type { Principal } from '../lib/core/token/authorization.ts';
import type { ApiDependencies } from './api-dependencies.ts';
import { ApiError, errorResponse } from './api-error.ts';
import type { ApiRequest } from './api-request.ts';
import type { ApiResponse } from './api-response.ts';
import { authenticateRequest, requireAllowed, requireRole } from './authentication.ts';
import { faultToApiError, toApiError } from './error-mapping.ts';
import { readBody } from './request-body.ts';
import type { Route } from './route.ts';
import { routeTable } from './route-table.ts';
import { createRouter } from './router.ts';

export interface Api {
  /** Never throws: every failure becomes the one error shape, unexpected ones a 500 without their text. */
  handle(request: ApiRequest): Promise<ApiResponse>;
}

export function createApi(deps: ApiDependencies, routes: readonly Route[] = routeTable): Api {
  const match = createRouter(routes);
  return {
    handle: async (request) => {
      const started = Date.now();
      let principal: Principal | undefined;
      let response: ApiResponse;
      // The route's operationId, never the path: paths carry names, a metric dimension must stay small.
      let route = 'unmatched';
      try {
        const found = match(request.method, request.path);
        if (found.kind === 'no-route') throw new ApiError('not_found', `no route ${request.method} ${request.path}; GET /openapi.json lists them`);
        if (found.kind === 'wrong-method') {
          const allow = found.allowed.join(', ');
          throw new ApiError('method_not_allowed', `${request.path} answers ${allow}, not ${request.method}`, { headers: { allow } });
        }
        const { params } = found;
        route = found.route.operationId;
        if (!('public' in found.route.access)) {
          principal = await authenticateRequest({ tokens: deps.store.tokens, now: () => deps.now(), log: deps.log }, request);
          const { action, namespaceParam } = found.route.access;
          if (namespaceParam === undefined) requireRole(principal, action);
          else requireAllowed(principal, action, params[namespaceParam]);
        }
        const input = {
          params: parseWith(found.route.params, params, 'path'),
          query: parseWith(found.route.query, request.query, 'query'),
          body: found.route.body === undefined ? undefined : readBody(request, found.route.body, deps.maxBodyBytes),
          principal,
          request,
        };
        response = await found.route.handle(input, deps);
      } catch (err) {
        response = errorResponse(toApiError(err) ?? unavailable(err, request, deps) ?? unexpected(err, request, deps));
      }
      // Every answer names its request id, so a report of any failure can be matched with its log line.
      response = { ...response, headers: { ...response.headers, 'x-request-id': request.requestId } };
      const ms = Date.now() - started;
      deps.telemetry.duration('ApiLatency', { route, status: `${Math.floor(response.status / 100)}xx` }, ms);
      // Method, path, status and who: never headers or bodies, which carry tokens and kubeconfigs.
      deps.log('info', 'request', {
        method: request.method,
        path: request.path,
        route,
        status: response.status,
        ms,
        requestId: request.requestId,
        ...(principal === undefined ? {} : { tokenId: principal.tokenId }),
      });
      return response;
    },
  };
}

function unavailable(err: unknown, request: ApiRequest, deps: ApiDependencies): ApiError | undefined {
  const found = faultToApiError(err, request.requestId);
  if (found === undefined) return undefined;
  // A warning, not an error with a stack: the code did nothing wrong, a dependency is down.
  deps.log('warn', 'dependency unavailable', {
    method: request.method,
    path: request.path,
    requestId: request.requestId,
    service: found.fault.service,
    fault: found.fault.kind,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
  return found.error;
}

function unexpected(err: unknown, request: ApiRequest, deps: ApiDependencies): ApiError {
  deps.log('error', 'unexpected error', {
    method: request.method,
    path: request.path,
    requestId: request.requestId,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  return new ApiError('internal', `internal error; the API log has the details under request id ${request.requestId}`);
}
