// flotilla token create|list|revoke against a fake API over HTTP: what is sent, what is printed, and the exit codes.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fakeApis, runCli } from './cli-harness.ts';

const serve = fakeApis();

const view = {
  id: '3f2a9c0d1e4b5a6f',
  name: 'ci-team-a',
  role: 'deployer',
  namespaces: ['team-a'],
  clusters: { names: ['beijing-1'], selector: { tier: 'edge' } },
  createdAt: '2026-11-29T12:00:00.000Z',
  expiresAt: '2027-02-27T12:00:00.000Z',
  state: 'active',
};
const token = `flt_${'A'.repeat(43)}`;

describe('flotilla token create', () => {
  it('sends the limits and the expiry, and prints the token once with a warning that it is not shown again', async () => {
    const fake = await serve({ 'POST /tokens': { status: 201, json: { ...view, token } } });
    const { code, stdout, stderr } = await runCli(
      ['token', 'create', 'ci-team-a', '--role', 'deployer', '--namespaces', 'team-a', '--clusters', 'beijing-1', '--cluster-selector', 'tier=edge', '--expires-in', '90d'],
      { api: fake },
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(fake.requests[0]!.body)).toEqual({
      name: 'ci-team-a',
      role: 'deployer',
      namespaces: ['team-a'],
      clusters: { names: ['beijing-1'], selector: { tier: 'edge' } },
      expiresInDays: 90,
    });
    expect(stdout).toBe(
      [
        'Token 3f2a9c0d1e4b5a6f (ci-team-a) created: role deployer, namespaces team-a, clusters beijing-1 or tier=edge, expires 2027-02-27 12:00Z.',
        '',
        `  ${token}`,
        '',
        'This token is shown only once: store it now (flotilla login --token <token>, or a CI secret). Only its hash is kept.',
        'Revoke it with: flotilla token revoke 3f2a9c0d1e4b5a6f',
        '',
      ].join('\n'),
    );
  });

  it('sends --expires-at as given and prints the token as data with -o json', async () => {
    const fake = await serve({ 'POST /tokens': { status: 201, json: { ...view, clusters: undefined, token } } });
    const { code, stdout } = await runCli(['token', 'create', 'dash', '--role', 'viewer', '--expires-at', '2027-01-01T00:00:00Z', '-o', 'json'], { api: fake });
    expect(code).toBe(0);
    expect(JSON.parse(fake.requests[0]!.body)).toEqual({ name: 'dash', role: 'viewer', expiresAt: '2027-01-01T00:00:00Z' });
    expect(JSON.parse(stdout)).toMatchObject({ id: view.id, token });
  });

  it('exits 1 with the API refusal, naming the field, on stderr', async () => {
    const refusal = { error: { code: 'validation_failed', message: 'expiresAt: must be in the future: 2020-01-01T00:00:00.000Z is not after now (2026-11-29T12:00:00.000Z)', details: [{ path: 'expiresAt', message: 'must be in the future: 2020-01-01T00:00:00.000Z is not after now (2026-11-29T12:00:00.000Z)' }] } };
    const fake = await serve({ 'POST /tokens': { status: 400, json: refusal } });
    const { code, stdout, stderr } = await runCli(['token', 'create', 'old', '--role', 'viewer', '--expires-at', '2020-01-01T00:00:00Z'], { api: fake });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`Error: ${refusal.error.message}\n`);
  });

  it.each([
    [['token', 'create', 'x'], "error: required option '--role <role>' not specified"],
    [['token', 'create', 'x', '--role', 'owner'], "argument 'owner' is invalid. Allowed choices are admin, deployer, viewer."],
    [['token', 'create', 'x', '--role', 'viewer', '--expires-in', 'soon'], '"soon" is not a number of days such as 30 or 30d'],
    [['token', 'create', 'x', '--role', 'viewer', '--expires-in', '3', '--expires-at', '2027-01-01T00:00:00Z'], 'give --expires-in or --expires-at, not both'],
    [['token', 'create', 'x', '--role', 'deployer', '--cluster-selector', 'tier'], 'label "tier" must be key=value'],
  ])('exits 2 on a usage error, sending nothing: %j', async (argv, message) => {
    const fake = await serve({});
    const { code, stdout, stderr } = await runCli(argv, { api: fake });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
    expect(fake.requests).toEqual([]);
  });
});

describe('flotilla token list', () => {
  const tokens = [
    { ...view, lastUsedAt: '2026-11-30T08:15:42.000Z' },
    { id: '0123456789abcdef', name: 'root', role: 'admin', namespaces: [], createdAt: '2026-11-01T00:00:00.000Z', state: 'active' },
    { id: 'fedcba9876543210', name: 'old ci', role: 'deployer', namespaces: [], createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-02-01T00:00:00.000Z', state: 'expired' },
    { id: 'aaaaaaaaaaaaaaaa', name: 'gone', role: 'viewer', namespaces: [], createdAt: '2026-01-01T00:00:00.000Z', revokedAt: '2026-03-01T00:00:00.000Z', state: 'revoked' },
  ];

  it('prints expiry, last use and state, never a token', async () => {
    const fake = await serve({ 'GET /tokens': { json: { tokens } } });
    const { code, stdout, stderr } = await runCli(['token', 'list'], { api: fake });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n').map((line) => line.split('\t').map((cell) => cell.trim()))).toEqual([
      ['ID', 'NAME', 'ROLE', 'NAMESPACES', 'CLUSTERS', 'STATE', 'EXPIRES', 'LAST USED'],
      ['3f2a9c0d1e4b5a6f', 'ci-team-a', 'deployer', 'team-a', 'beijing-1 or tier=edge', 'active', '2027-02-27 12:00Z', '2026-11-30 08:15Z'],
      ['0123456789abcdef', 'root', 'admin', 'all', 'all', 'active', 'never', 'never'],
      ['fedcba9876543210', 'old ci', 'deployer', 'all', 'all', 'expired', '2026-02-01 00:00Z', 'never'],
      ['aaaaaaaaaaaaaaaa', 'gone', 'viewer', 'all', 'all', 'revoked', 'never', 'never'],
      [''],
    ]);
    expect(stdout).not.toContain('flt_');
  });

  it('prints the tokens as yaml data', async () => {
    const fake = await serve({ 'GET /tokens': { json: { tokens } } });
    const { stdout } = await runCli(['token', 'ls', '-o', 'yaml'], { api: fake });
    expect(parse(stdout)).toEqual(tokens);
  });

  it('exits 1 when the token may not list tokens', async () => {
    const fake = await serve({ 'GET /tokens': { status: 403, json: { error: { code: 'forbidden', message: 'role deployer may not read tokens', details: [] } } } });
    expect(await runCli(['token', 'list'], { api: fake })).toEqual({ code: 1, stdout: '', stderr: 'Error: role deployer may not read tokens\n' });
  });
});

describe('flotilla token revoke', () => {
  it('revokes by id and says so', async () => {
    const fake = await serve({ 'DELETE /tokens/3f2a9c0d1e4b5a6f': { json: { ...view, revokedAt: '2026-12-01T00:00:00.000Z', state: 'revoked' } } });
    const { code, stdout } = await runCli(['token', 'revoke', '3f2a9c0d1e4b5a6f'], { api: fake });
    expect(code).toBe(0);
    expect(stdout).toBe('Token 3f2a9c0d1e4b5a6f (ci-team-a) revoked at 2026-12-01T00:00:00.000Z; it answers 401 from now on.\n');
  });

  it('exits 1 for an unknown id', async () => {
    const fake = await serve({ 'DELETE /tokens/0123456789abcdef': { status: 404, json: { error: { code: 'token_not_found', message: 'no token with id 0123456789abcdef', details: [] } } } });
    expect(await runCli(['token', 'revoke', '0123456789abcdef'], { api: fake })).toEqual({ code: 1, stdout: '', stderr: 'Error: no token with id 0123456789abcdef\n' });
  });
});
