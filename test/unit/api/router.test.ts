import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../../../api/api-response.ts';
import { defineRoute, type HttpMethod, type Route } from '../../../api/route.ts';
import { routeTable } from '../../../api/route-table.ts';
import { createRouter } from '../../../api/router.ts';

function route(method: HttpMethod, path: string): Route {
  return defineRoute({
    method,
    path,
    operationId: `${method} ${path}`,
    summary: path,
    tag: 'system',
    access: { public: true },
    responses: {},
    handle: async () => jsonResponse(200, {}),
  });
}

const match = createRouter([
  route('GET', '/clusters'),
  route('POST', '/clusters'),
  route('GET', '/clusters/{name}'),
  route('DELETE', '/clusters/{name}'),
  route('POST', '/clusters/{name}/labels'),
  route('GET', '/namespaces/{namespace}/applications/{name}/status'),
]);

describe('router', () => {
  it.each([
    ['GET', '/clusters', 'GET /clusters', {}],
    ['POST', '/clusters/', 'POST /clusters', {}],
    ['DELETE', '/clusters/beijing-1', 'DELETE /clusters/{name}', { name: 'beijing-1' }],
    ['POST', '/clusters/us-west-1/labels', 'POST /clusters/{name}/labels', { name: 'us-west-1' }],
    ['GET', '/namespaces/default/applications/example-app/status', 'GET /namespaces/{namespace}/applications/{name}/status', { namespace: 'default', name: 'example-app' }],
    ['GET', '/clusters/a%20b', 'GET /clusters/{name}', { name: 'a b' }],
  ])('%s %s matches %s', (method, path, operationId, params) => {
    const found = match(method, path);
    expect(found.kind).toBe('found');
    if (found.kind !== 'found') return;
    expect(found.route.operationId).toBe(operationId);
    expect(found.params).toEqual(params);
  });

  it.each([['/nothing'], ['/clusters/beijing-1/labels/extra'], ['/clusters//labels'], ['clusters'], ['/clusters/%E0%A4%A']])('%s is no route', (path) => {
    expect(match('GET', path)).toEqual({ kind: 'no-route' });
  });

  it('names the methods a path has when the method is wrong', () => {
    expect(match('PUT', '/clusters')).toEqual({ kind: 'wrong-method', allowed: ['GET', 'POST'] });
    expect(match('PATCH', '/clusters/beijing-1')).toEqual({ kind: 'wrong-method', allowed: ['GET', 'DELETE'] });
  });

  it('serves each method and path of the route table once, and every route is reachable', () => {
    const keys = routeTable.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const tableMatch = createRouter(routeTable);
    for (const r of routeTable) {
      const path = r.path.replace(/\{[^}]+\}/g, 'x');
      const found = tableMatch(r.method, path);
      expect(found.kind === 'found' ? found.route : undefined, `${r.method} ${r.path}`).toBe(r);
    }
  });
});
