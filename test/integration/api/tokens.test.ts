// Bearer tokens through HTTP in the local runtime: created once with the token in the answer, listed without it,
// honoured by role and namespace, and dead once revoked. The table holds the hash only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterList } from '../../../contract/cluster-schemas.ts';
import { CreatedToken, TokenList, TokenView } from '../../../contract/token-schemas.ts';
import { tokenKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { hashToken } from '../../../lib/core/token/bearer-token.ts';
import { call } from './api-server.ts';
import { startRuntimeApi, type RuntimeApi } from './runtime-api.ts';

let api: RuntimeApi;
let admin: { token: string };

beforeAll(async () => {
  api = await startRuntimeApi();
  admin = { token: api.adminToken };
});
afterAll(async () => api?.stop());

describe('tokens through the API', () => {
  let deployer: ReturnType<typeof CreatedToken.parse>;

  it('creates a token and shows it this once', async () => {
    const answer = await call(api, 'POST', '/tokens', { ...admin, body: { name: 'ci for team-a', role: 'deployer', namespaces: ['team-a'] } });
    expect(answer.status).toBe(201);
    deployer = CreatedToken.parse(answer.json);
    expect(deployer).toMatchObject({ name: 'ci for team-a', role: 'deployer', namespaces: ['team-a'] });
    expect(deployer.token).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    expect(deployer.revokedAt).toBeUndefined();
  });

  it('lists tokens without the token or its hash', async () => {
    const answer = await call(api, 'GET', '/tokens', admin);
    expect(answer.status).toBe(200);
    const { tokens } = TokenList.parse(answer.json);
    expect(tokens.find((token) => token.id === deployer.id)).toEqual({ id: deployer.id, name: 'ci for team-a', role: 'deployer', namespaces: ['team-a'], createdAt: deployer.createdAt });
    expect(tokens.some((token) => token.role === 'admin')).toBe(true);
    expect(answer.text).not.toContain(deployer.token);
    expect(answer.text).not.toContain(hashToken(deployer.token));
    expect(answer.text).not.toContain(api.adminToken);
  });

  it('stores the hash, never the token', async () => {
    const raw = JSON.stringify(await api.rawItem(tokenKey(deployer.id)));
    expect(raw).toContain(hashToken(deployer.token));
    expect(raw).not.toContain(deployer.token);
  });

  it('lets the new token do what its role allows, and nothing more', async () => {
    const token = { token: deployer.token };
    expect((await call(api, 'GET', '/clusters', token)).status).toBe(200);
    expect(ClusterList.parse((await call(api, 'GET', '/clusters', token)).json).clusters).toEqual([]);
    expect((await call(api, 'GET', '/applications?namespace=team-a', token)).status).toBe(200);
    expect((await call(api, 'GET', '/tokens', token)).status).toBe(403);
  });

  it('revokes it: 401 from then on, still listed with revokedAt, revoking again changes nothing', async () => {
    const revoked = await call(api, 'DELETE', `/tokens/${deployer.id}`, admin);
    expect(revoked.status).toBe(200);
    const view = TokenView.parse(revoked.json);
    expect(view.revokedAt).toBeDefined();
    const refused = await call(api, 'GET', '/clusters', { token: deployer.token });
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: { code: 'unauthenticated' } });
    const again = TokenView.parse((await call(api, 'DELETE', `/tokens/${deployer.id}`, admin)).json);
    expect(again.revokedAt).toBe(view.revokedAt);
    const { tokens } = TokenList.parse((await call(api, 'GET', '/tokens', admin)).json);
    expect(tokens.find((token) => token.id === deployer.id)?.revokedAt).toBe(view.revokedAt);
  });

  it('serves /healthz and /openapi.json without a token', async () => {
    expect(await call(api, 'GET', '/healthz')).toMatchObject({ status: 200, json: { status: 'ok' } });
    const openapi = await call(api, 'GET', '/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.json).toMatchObject({ openapi: '3.1.0', info: { title: 'Flotilla API' } });
  });
});
