// The API's request pipeline without AWS: routing answers, authentication and authorization against an in-memory
// token store, input checks before a route runs, and unexpected failures as a generic 500 with a log line.
import { publishedPrices } from '../../../lib/core/cost/prices.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { ApiDependencies, ApiLog } from '../../../api/api-dependencies.ts';
import type { ApiRequest } from '../../../api/api-request.ts';
import { jsonResponse } from '../../../api/api-response.ts';
import { createApi } from '../../../api/create-api.ts';
import { jsonBody } from '../../../api/request-body.ts';
import { defineRoute } from '../../../api/route.ts';
import { ApplicationPath } from '../../../contract/parameters.ts';
import { ConflictError } from '../../../lib/engine/ports/conflict-error.ts';
import type { Store } from '../../../lib/engine/ports/store.ts';
import type { TokenRecord } from '../../../lib/core/token/token-record.ts';
import type { TokenStore } from '../../../lib/engine/ports/store.ts';
import { createToken } from '../../../lib/engine/tokens/tokens.ts';

/** The token store's contract in memory: versioned create and replace. */
class MemoryTokenStore implements TokenStore {
  readonly records = new Map<string, TokenRecord>();
  async get(id: string) {
    return this.records.get(id);
  }
  async list() {
    return [...this.records.values()];
  }
  async create(record: TokenRecord) {
    if (this.records.has(record.id)) throw new ConflictError('token', record.id, 'already-exists');
    const stored = { ...record, version: 1 };
    this.records.set(record.id, stored);
    return stored;
  }
  async replace(record: TokenRecord, expectedVersion: number) {
    if (this.records.get(record.id)?.version !== expectedVersion) throw new ConflictError('token', record.id, 'changed');
    const stored = { ...record, version: expectedVersion + 1 };
    this.records.set(record.id, stored);
    return stored;
  }
  /** Set to make recording a use fail, as a throttled or unreachable table would. */
  useFailure: Error | undefined;
  async recordUse(id: string, at: string, ifBefore: string) {
    if (this.useFailure) throw this.useFailure;
    const record = this.records.get(id);
    if (record === undefined || (record.lastUsedAt !== undefined && record.lastUsedAt >= ifBefore)) return false;
    this.records.set(id, { ...record, lastUsedAt: at });
    return true;
  }
}

/** Members these routes never touch: any use fails the test loudly. */
function untouched<T>(name: string): T {
  return new Proxy({}, { get: (_target, property) => { throw new Error(`${name}.${String(property)} is not used here`); } }) as T;
}

const seen: unknown[] = [];
const routes = [
  defineRoute({
    method: 'GET',
    path: '/open',
    operationId: 'open',
    summary: 'public',
    tag: 'system',
    access: { public: true },
    responses: {},
    handle: async () => jsonResponse(200, { open: true }),
  }),
  defineRoute({
    method: 'POST',
    path: '/namespaces/{namespace}/applications/{name}/echo',
    operationId: 'echo',
    summary: 'echoes',
    tag: 'applications',
    access: { action: 'applications:write', namespaceParam: 'namespace' },
    params: ApplicationPath,
    body: jsonBody(z.strictObject({ note: z.string() })),
    responses: {},
    handle: async ({ params, body, principal }) => {
      seen.push({ params, body, principal });
      return jsonResponse(200, { ok: true });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/broken',
    operationId: 'broken',
    summary: 'fails',
    tag: 'system',
    access: { public: true },
    responses: {},
    handle: async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:443 with secret sauce');
    },
  }),
];

let tokens: MemoryTokenStore;
let logLines: { level: string; message: string; fields: Record<string, unknown> }[];
let metricsSeen: { name: string; dimensions: Record<string, string> }[];
let api: ReturnType<typeof createApi>;

beforeEach(() => {
  tokens = new MemoryTokenStore();
  logLines = [];
  metricsSeen = [];
  seen.length = 0;
  const log: ApiLog = (level, message, fields = {}) => logLines.push({ level, message, fields });
  const deps: ApiDependencies = {
    store: { ...untouched<Store>('store'), tokens } as Store,
    queues: untouched('queues'),
    registry: untouched('registry'),
    engine: untouched('engine'),
    cipher: untouched('cipher'),
    chatops: untouched('chatops'),
    maxBodyBytes: 1024,
    prices: publishedPrices,
    checkDependencies: () => Promise.resolve([]),
    log,
    telemetry: {
      count: (name, dimensions) => metricsSeen.push({ name, dimensions }),
      duration: (name, dimensions) => metricsSeen.push({ name, dimensions }),
    },
    now: () => new Date('2026-11-29T12:00:00Z'),
  };
  api = createApi(deps, routes);
});

function request(method: string, path: string, options: { token?: string; body?: string; contentType?: string } = {}): ApiRequest {
  return {
    method,
    path,
    query: {},
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.contentType === undefined ? {} : { 'content-type': options.contentType }),
    },
    body: options.body === undefined ? undefined : Buffer.from(options.body),
    baseUrl: 'http://localhost',
    requestId: 'req-42',
  };
}
const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string; details: unknown[] } }).error;

describe('createApi', () => {
  it('serves a public route without a token and logs method, path and status', async () => {
    const response = await api.handle(request('GET', '/open'));
    expect(response.status).toBe(200);
    expect(logLines).toEqual([{ level: 'info', message: 'request', fields: expect.objectContaining({ method: 'GET', path: '/open', status: 200, requestId: 'req-42' }) }]);
  });

  it('records API latency by route operationId and status class, never by path', async () => {
    await api.handle(request('GET', '/open'));
    await api.handle(request('GET', '/broken'));
    await api.handle(request('POST', '/namespaces/team-a/applications/x/echo', { body: '{}', contentType: 'application/json' }));
    await api.handle(request('GET', '/no/such/route/with-a-name-in-it'));
    expect(metricsSeen).toEqual([
      { name: 'ApiLatency', dimensions: { route: 'open', status: '2xx' } },
      { name: 'ApiLatency', dimensions: { route: 'broken', status: '5xx' } },
      { name: 'ApiLatency', dimensions: { route: 'echo', status: '4xx' } },
      { name: 'ApiLatency', dimensions: { route: 'unmatched', status: '4xx' } },
    ]);
  });

  it('answers a failure nobody expected with 500, the request id and no detail; the log has the detail', async () => {
    const response = await api.handle(request('GET', '/broken'));
    expect(response.status).toBe(500);
    expect(errorOf(response.body)).toEqual({ code: 'internal', message: 'internal error; the API log has the details under request id req-42', details: [] });
    expect(response.body).not.toContain('ECONNREFUSED');
    const errorLine = logLines.find((line) => line.level === 'error');
    expect(errorLine?.fields).toMatchObject({ requestId: 'req-42', error: expect.stringContaining('ECONNREFUSED') });
  });

  it('authenticates before it reads the body, and checks the namespace from the path before the route runs', async () => {
    expect((await api.handle(request('POST', '/namespaces/team-a/applications/x/echo', { body: 'not json', contentType: 'application/json' }))).status).toBe(401);
    const { token } = await createToken(tokens, { role: 'deployer', namespaces: ['team-a'] });
    const outside = await api.handle(request('POST', '/namespaces/team-b/applications/x/echo', { token, body: '{"note":"hi"}', contentType: 'application/json' }));
    expect(outside.status).toBe(403);
    expect(errorOf(outside.body).message).toBe('this token is limited to namespaces team-a, not team-b');
    expect(seen).toEqual([]);

    const inside = await api.handle(request('POST', '/namespaces/team-a/applications/x/echo', { token, body: '{"note":"hi"}', contentType: 'application/json' }));
    expect(inside.status).toBe(200);
    expect(seen).toEqual([{ params: { namespace: 'team-a', name: 'x' }, body: { note: 'hi' }, principal: expect.objectContaining({ role: 'deployer', namespaces: ['team-a'] }) }]);
  });

  it('logs who called by token id, never the token or the Authorization header', async () => {
    const { token, summary } = await createToken(tokens, { role: 'admin' });
    await api.handle(request('POST', '/namespaces/default/applications/x/echo', { token, body: '{"note":"hi"}', contentType: 'application/json' }));
    expect(logLines.at(-1)?.fields.tokenId).toBe(summary.id);
    expect(JSON.stringify(logLines)).not.toContain(token);
  });

  it('checks path parameters before the route runs', async () => {
    const { token } = await createToken(tokens, { role: 'admin' });
    const response = await api.handle(request('POST', '/namespaces/default/applications/Not_Valid/echo', { token, body: '{"note":"hi"}', contentType: 'application/json' }));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.details).toEqual([{ path: 'path.name', message: expect.stringContaining('DNS-1123') }]);
    expect(seen).toEqual([]);
  });

  it('refuses an expired token with 401 saying when it expired, and records nothing for it', async () => {
    // deps.now is 2026-11-29T12:00:00Z; the token was created two days earlier with a one-day life.
    const { token, summary } = await createToken(tokens, { role: 'admin', expiresInDays: 1 }, new Date('2026-11-27T12:00:00Z'));
    const response = await api.handle(request('POST', '/namespaces/default/applications/x/echo', { token, body: '{"note":"hi"}', contentType: 'application/json' }));
    expect(response.status).toBe(401);
    expect(errorOf(response.body).message).toBe('the token expired at 2026-11-28T12:00:00.000Z; ask an admin for a new one');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="flotilla"');
    expect(response.body).not.toContain(tokens.records.get(summary.id)!.hash);
    expect(tokens.records.get(summary.id)?.lastUsedAt).toBeUndefined();
  });

  it('records the last use at most once a minute', async () => {
    const { token, summary } = await createToken(tokens, { role: 'admin' });
    const call = () => api.handle(request('POST', '/namespaces/default/applications/x/echo', { token, body: '{"note":"hi"}', contentType: 'application/json' }));
    expect((await call()).status).toBe(200);
    expect(tokens.records.get(summary.id)?.lastUsedAt).toBe('2026-11-29T12:00:00.000Z');
    tokens.records.set(summary.id, { ...tokens.records.get(summary.id)!, lastUsedAt: '2026-11-29T11:59:30.000Z' });
    expect((await call()).status).toBe(200);
    expect(tokens.records.get(summary.id)?.lastUsedAt).toBe('2026-11-29T11:59:30.000Z');
    tokens.records.set(summary.id, { ...tokens.records.get(summary.id)!, lastUsedAt: '2026-11-29T11:58:59.000Z' });
    expect((await call()).status).toBe(200);
    expect(tokens.records.get(summary.id)?.lastUsedAt).toBe('2026-11-29T12:00:00.000Z');
    expect(tokens.records.get(summary.id)?.version).toBe(1);
  });

  it('answers the request when recording the last use fails, with a warning in the log', async () => {
    const { token, summary } = await createToken(tokens, { role: 'admin' });
    tokens.useFailure = new Error('ProvisionedThroughputExceededException: slow down');
    const response = await api.handle(request('POST', '/namespaces/default/applications/x/echo', { token, body: '{"note":"hi"}', contentType: 'application/json' }));
    expect(response.status).toBe(200);
    expect(logLines).toContainEqual({ level: 'warn', message: 'could not record the last use of a token', fields: expect.objectContaining({ tokenId: summary.id, requestId: 'req-42' }) });
    expect(JSON.stringify(logLines)).not.toContain(token);
  });

  it('answers unknown paths with 404 and known paths with other methods with 405 and Allow', async () => {
    expect((await api.handle(request('GET', '/nowhere'))).status).toBe(404);
    const wrong = await api.handle(request('DELETE', '/open'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
  });
});
