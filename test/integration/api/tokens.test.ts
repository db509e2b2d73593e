// Bearer tokens through HTTP in the local runtime: created once with the token in the answer, listed without it,
// honoured by role and namespace, dead once revoked or expired, their last use recorded. The table holds the hash only.
// The flotilla token commands run in-process against the same API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterList } from '../../../contract/cluster-schemas.ts';
import { CreatedToken, TokenList, TokenView } from '../../../contract/token-schemas.ts';
import { tokenKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { hashToken } from '../../../lib/core/token/bearer-token.ts';
import { createToken } from '../../../lib/engine/tokens/tokens.ts';
import { runCli } from '../../unit/cli/cli-harness.ts';
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
    expect(tokens.find((token) => token.id === deployer.id)).toEqual({ id: deployer.id, name: 'ci for team-a', role: 'deployer', namespaces: ['team-a'], createdAt: deployer.createdAt, state: 'active' });
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

  it('refuses an expired token with 401 saying it expired, never its hash', async () => {
    // The API refuses a past expiry, so this one is made as if created two days ago with a day's life.
    const { token, summary } = await createToken(api.store.tokens, { role: 'admin', description: 'expired', expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000));
    const refused = await call(api, 'GET', '/clusters', { token });
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ error: { code: 'unauthenticated', message: `the token expired at ${summary.expiresAt}; ask an admin for a new one`, details: [] } });
    expect(refused.text).not.toContain(hashToken(token));
    expect(refused.text).not.toContain(token);
    const { tokens } = TokenList.parse((await call(api, 'GET', '/tokens', admin)).json);
    expect(tokens.find((listed) => listed.id === summary.id)).toMatchObject({ state: 'expired', expiresAt: summary.expiresAt });
    expect(tokens.find((listed) => listed.id === summary.id)?.lastUsedAt).toBeUndefined();
  });

  it('creates a token that expires, and records its last use once a minute, without changing its version', async () => {
    const answer = await call(api, 'POST', '/tokens', { ...admin, body: { name: 'reader', role: 'viewer', expiresInDays: 30 } });
    expect(answer.status).toBe(201);
    const reader = CreatedToken.parse(answer.json);
    expect(new Date(reader.expiresAt!).getTime() - new Date(reader.createdAt).getTime()).toBe(30 * 86_400_000);
    expect(reader.lastUsedAt).toBeUndefined();

    const before = Date.now();
    expect((await call(api, 'GET', '/clusters', { token: reader.token })).status).toBe(200);
    const first = await api.store.tokens.get(reader.id);
    expect(new Date(first!.lastUsedAt!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(first!.version).toBe(1);
    // Within the minute: no write.
    expect((await call(api, 'GET', '/clusters', { token: reader.token })).status).toBe(200);
    expect((await api.store.tokens.get(reader.id))?.lastUsedAt).toBe(first!.lastUsedAt);
    const raw = JSON.stringify(await api.rawItem(tokenKey(reader.id)));
    expect(raw).toContain(first!.lastUsedAt!);
    expect(raw).not.toContain(reader.token);
    const { tokens } = TokenList.parse((await call(api, 'GET', '/tokens', admin)).json);
    expect(tokens.find((token) => token.id === reader.id)).toMatchObject({ lastUsedAt: first!.lastUsedAt, expiresAt: reader.expiresAt, state: 'active' });
  });
});

describe('flotilla token create|list|revoke against the API', () => {
  const cli = (argv: string[], token = api.adminToken) => runCli(argv, { env: { FLOTILLA_ENDPOINT: api.url, FLOTILLA_TOKEN: token } });

  it('creates a limited token shown once, lists it with its limits, and revokes it', async () => {
    const created = await cli(['token', 'create', 'ci-edge', '--role', 'deployer', '--namespaces', 'team-a', '--clusters', 'beijing-1', '--cluster-selector', 'tier=edge', '--expires-in', '7d']);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    const token = /^ {2}(flt_\S+)$/m.exec(created.stdout)?.[1];
    const id = /^Token ([0-9a-f]{16}) \(ci-edge\) created: role deployer, namespaces team-a, clusters beijing-1 or tier=edge, expires /.exec(created.stdout)?.[1];
    expect(token).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).toContain('This token is shown only once');

    // The new token works, and its use shows in the listing.
    expect((await cli(['cluster', 'list'], token)).code).toBe(0);
    const listed = await cli(['token', 'list']);
    expect(listed.code).toBe(0);
    const row = listed.stdout.split('\n').find((line) => line.startsWith(id!))?.split('\t').map((cell) => cell.trim());
    expect(row?.slice(0, 6)).toEqual([id, 'ci-edge', 'deployer', 'team-a', 'beijing-1 or tier=edge', 'active']);
    expect(row?.[6]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\dZ$/);
    expect(row?.[7]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\dZ$/);
    expect(listed.stdout).not.toContain('flt_');
    const asData = JSON.parse((await cli(['token', 'list', '-o', 'json'])).stdout) as { id: string; clusters?: unknown }[];
    expect(asData.find((entry) => entry.id === id)?.clusters).toEqual({ names: ['beijing-1'], selector: { tier: 'edge' } });

    const revoked = await cli(['token', 'revoke', id!]);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout).toMatch(new RegExp(`^Token ${id} \\(ci-edge\\) revoked at `));
    const refused = await cli(['cluster', 'list'], token);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error: the token is not valid or has been revoked');
  });

  it('exits 1 with the refusal naming the field, and creates nothing', async () => {
    const before = TokenList.parse((await call(api, 'GET', '/tokens', admin)).json).tokens.length;
    const refused = await cli(['token', 'create', 'late', '--role', 'deployer', '--expires-at', '2020-01-01T00:00:00Z']);
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(/^Error: expiresAt: must be in the future/);
    const limitedAdmin = await cli(['token', 'create', 'ops', '--role', 'admin', '--clusters', 'beijing-1']);
    expect(limitedAdmin.code).toBe(1);
    expect(limitedAdmin.stderr).toMatch(/clusters: admin tokens manage clusters and tokens for everyone, so they cannot be limited to clusters/);
    expect(TokenList.parse((await call(api, 'GET', '/tokens', admin)).json).tokens.length).toBe(before);
  });

  it('exits 1 for a deployer listing tokens', async () => {
    const created = CreatedToken.parse((await call(api, 'POST', '/tokens', { ...admin, body: { name: 'plain deployer', role: 'deployer' } })).json);
    expect(await cli(['token', 'list'], created.token)).toEqual({ code: 1, stdout: '', stderr: 'Error: role deployer may not read tokens\n' });
  });
});
