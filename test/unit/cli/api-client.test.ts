import { describe, expect, it } from 'vitest';
import { ApiContractError, apiClient, ApiRequestError, ApiUnreachableError } from '../../../cli/client/api-client.ts';
import { failureMessage } from '../../../cli/output/failure-message.ts';
import { cliFixtureJson, fakeApis } from './cli-harness.ts';

const serve = fakeApis();

const client = (endpoint: string, options: { token?: string; timeoutMs?: number } = {}) =>
  apiClient({ endpoint, token: options.token ?? 'flt_t', fetch: (url, init) => fetch(url, init), timeoutMs: options.timeoutMs });

describe('apiClient', () => {
  it('joins the endpoint (with a stage path) and encoded path segments; no token, no header', async () => {
    const api = await serve({ 'GET /prod/namespaces/team-a/applications/a%20b/status': { json: cliFixtureJson('api/status-basic.json') } });
    await client(`${api.url}/prod/`).status('team-a', 'a b', 'web');
    await apiClient({ endpoint: `${api.url}/prod`, token: undefined, fetch }).status('team-a', 'a b');
    expect(api.requests.map((r) => [r.path, r.query, r.headers.authorization, r.headers.accept])).toEqual([
      ['/prod/namespaces/team-a/applications/a%20b/status', { svc: 'web' }, 'Bearer flt_t', 'application/json'],
      ['/prod/namespaces/team-a/applications/a%20b/status', {}, undefined, 'application/json'],
    ]);
  });

  it("turns the API's error shape into ApiRequestError with code and details", async () => {
    const details = [{ path: 'spec.components[0].type', message: 'unknown component type "webserver"' }];
    const api = await serve({ 'POST /applications': { status: 400, json: { error: { code: 'validation_failed', message: 'spec.components[0].type: unknown component type "webserver"', details } } } });
    const error = await client(api.url).submitApplication({ contentType: 'application/yaml', text: 'x: 1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', details });
  });

  it("reads a gateway's own {message} and a body that is no JSON at all", async () => {
    const api = await serve({ 'GET /clusters': [{ status: 413, json: { message: 'Request Entity Too Large' } }, { status: 503, text: '<h1>down</h1>' }] });
    await expect(client(api.url).listClusters()).rejects.toMatchObject({ code: 'http_413', message: 'Request Entity Too Large' });
    await expect(client(api.url).listClusters()).rejects.toMatchObject({ code: 'http_503', message: 'GET /clusters answered HTTP 503' });
  });

  it('refuses a successful answer that is not the API\'s, saying what does not fit', async () => {
    const api = await serve({ 'GET /clusters': { json: { items: [] } }, 'GET /healthz': { text: '<html>a login page</html>' } });
    const error = await client(api.url).listClusters().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiContractError);
    expect((error as Error).message).toContain(`${api.url} answered GET /clusters with something other than the Flotilla API's answer`);
    expect((error as Error).message).toContain('clusters');
    await expect(client(api.url).health()).rejects.toBeInstanceOf(ApiContractError);
  });

  it('gives up on a silent server after the timeout', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const error = await client(`http://127.0.0.1:${port}`, { timeoutMs: 200 }).health().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiUnreachableError);
      expect((error as Error).message).toBe(`no answer from the Flotilla API at http://127.0.0.1:${port} within 200ms`);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('reads the accepted workflow operation', async () => {
    const api = await serve({
      'POST /namespaces/default/applications/app/workflow/suspend': { status: 202, json: { runId: 'r1', revision: 'app-v2', status: 'http://x/status' } },
      'POST /namespaces/default/applications/app/workflow/rollback': { status: 202, json: { runId: 'r2', revision: 'app-v1', status: 'http://x/status' } },
    });
    expect(await client(api.url).workflow('default', 'app', 'suspend')).toMatchObject({ runId: 'r1', revision: 'app-v2' });
    expect(await client(api.url).workflow('default', 'app', 'rollback')).toMatchObject({ runId: 'r2', revision: 'app-v1' });
  });

});

describe('failureMessage', () => {
  it('prints details the message does not already hold', () => {
    const error = new ApiRequestError(422, 'cluster_unreachable', 'cannot join cluster us-west-1', [
      { path: 'kubeconfig', message: 'cannot join cluster us-west-1' },
      { path: '', message: 'the API server said 401' },
    ]);
    expect(failureMessage(error)).toBe('Error: cannot join cluster us-west-1\n  the API server said 401\n');
  });

  it('adds the login hint to 401s, and a command hint where one was attached', () => {
    expect(failureMessage(new ApiRequestError(401, 'unauthenticated', 'no bearer token'))).toBe('Error: no bearer token\n(check FLOTILLA_TOKEN, or run flotilla login with a valid token)\n');
    const error = new ApiRequestError(403, 'forbidden', 'role viewer may not change applications');
    error.hint = 'ask for a deployer token';
    expect(failureMessage(error)).toBe('Error: role viewer may not change applications\n(ask for a deployer token)\n');
  });
});
