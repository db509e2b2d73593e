import * as z from 'zod';
import type { Action, Principal } from '../lib/core/token/authorization.ts';
import type { ApiDependencies } from './api-dependencies.ts';
import type { ApiRequest } from './api-request.ts';
import type { ApiResponse } from './api-response.ts';
import type { BodyReader } from './request-body.ts';

export const httpMethods = ['GET', 'POST', 'DELETE'] as const;
export type HttpMethod = (typeof httpMethods)[number];

/**
 * Who may call a route. `namespaceParam` names the path parameter holding the namespace the action touches, so the
 * router checks namespace limits before the route runs; routes that learn the namespace later (a submitted document,
 * a listing) check it themselves. Public routes take no bearer token; those with a `signature` (webhooks, Slack)
 * verify the sender's signature themselves and answer 401 when it does not check out.
 */
export type Access = { public: true; signature?: SignatureScheme } | { action: Action; namespaceParam?: string };

/** How a public route authenticates its caller instead of a bearer token. */
export type SignatureScheme = 'github' | 'gitlab' | 'generic' | 'slack';

export interface ResponseSpec {
  description: string;
  /** The JSON body; omitted for bodies the OpenAPI document describes in words. */
  schema?: z.ZodType;
  /** Media types besides JSON the route can answer with, chosen by the Accept header. */
  alternatives?: readonly string[];
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined only on public routes (signed ones included). */
  principal: Principal | undefined;
  request: ApiRequest;
}

export interface RouteDefinition<P extends z.ZodType, Q extends z.ZodType, B> {
  method: HttpMethod;
  /** With `{param}` segments: `/clusters/{name}/labels`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'system' | 'clusters' | 'applications' | 'workflow' | 'tokens' | 'triggers' | 'chatops';
  access: Access;
  params?: P;
  query?: Q;
  body?: BodyReader<B>;
  /** By status code; the error answers are added to the OpenAPI document from `access` and the route's inputs. */
  responses: Record<number, ResponseSpec>;
  handle(input: RouteInput<z.output<P>, z.output<Q>, B>, deps: ApiDependencies): Promise<ApiResponse>;
}

/** A route with its types erased, as the router and the OpenAPI builder hold them. */
export interface Route {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: RouteDefinition<z.ZodType, z.ZodType, unknown>['tag'];
  access: Access;
  params: z.ZodType;
  query: z.ZodType;
  body: BodyReader<unknown> | undefined;
  responses: Record<number, ResponseSpec>;
  handle(input: RouteInput<unknown, unknown, unknown>, deps: ApiDependencies): Promise<ApiResponse>;
}

/** No query parameters: anything sent is refused, so a misspelt `?forse=true` is not silently ignored. */
const NoQuery = z.strictObject({});
const NoParams = z.strictObject({});

/** Typed at the definition (params, query and body are the schemas' outputs), erased for the route table. */
export function defineRoute<P extends z.ZodType = typeof NoParams, Q extends z.ZodType = typeof NoQuery, B = undefined>(
  definition: RouteDefinition<P, Q, B>,
): Route {
  return {
    ...definition,
    params: definition.params ?? NoParams,
    query: definition.query ?? NoQuery,
    body: definition.body as BodyReader<unknown> | undefined,
    handle: (input, deps) => definition.handle(input as RouteInput<z.output<P>, z.output<Q>, B>, deps),
  };
}
