import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configPath, readConfig, resolveSettings, writeConfig } from '../../../cli/client/cli-config.ts';
import { thrown } from '../support/builders.ts';
import { fakeApis, runCli, tempDir } from './cli-harness.ts';

const serve = fakeApis();

const mode = (path: string) => statSync(path).mode & 0o777;

describe('config file', () => {
  it("lives in the user's config dir", () => {
    expect(configPath({}, '/home/ada', 'linux')).toBe('/home/ada/.config/flotilla/config.yaml');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg' }, '/home/ada', 'linux')).toBe('/xdg/flotilla/config.yaml');
    expect(configPath({ XDG_CONFIG_HOME: '' }, '/home/ada', 'darwin')).toBe('/home/ada/.config/flotilla/config.yaml');
    expect(configPath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada', 'win32')).toContain('flotilla');
    expect(configPath({ FLOTILLA_CONFIG: '/tmp/f.yaml', XDG_CONFIG_HOME: '/xdg' }, '/home/ada', 'linux')).toBe('/tmp/f.yaml');
  });

  it('is written 0600 in a 0700 directory, also over an older file with a looser mode', () => {
    const path = join(tempDir('flotilla-config-'), 'nested', 'flotilla', 'config.yaml');
    writeConfig(path, { endpoint: 'http://127.0.0.1:8080', token: 'flt_a' });
    expect([mode(path), mode(join(path, '..'))]).toEqual([0o600, 0o700]);
    chmodSync(path, 0o644);
    writeConfig(path, { endpoint: 'https://api.example.com/prod', token: 'flt_b', namespace: 'team-a' });
    expect(mode(path)).toBe(0o600);
    expect(readConfig(path)).toEqual({ endpoint: 'https://api.example.com/prod', token: 'flt_b', namespace: 'team-a' });
  });

  it('is absent before the first login, and a broken one is reported with its path', () => {
    const dir = tempDir('flotilla-config-');
    expect(readConfig(join(dir, 'none.yaml'))).toBeUndefined();
    writeFileSync(join(dir, 'bad.yaml'), 'endpoint: [');
    expect((thrown(() => readConfig(join(dir, 'bad.yaml'))) as Error).message).toMatch(/bad\.yaml is not valid YAML .*; run flotilla login again$/);
    writeFileSync(join(dir, 'wrong.yaml'), 'endpoint: ftp://x\n');
    expect((thrown(() => readConfig(join(dir, 'wrong.yaml'))) as Error).message).toContain('wrong.yaml is not a flotilla config; run flotilla login again');
  });

  it('gives way to FLOTILLA_ENDPOINT, FLOTILLA_TOKEN and FLOTILLA_NAMESPACE; the namespace defaults to default', () => {
    const saved = { endpoint: 'http://saved', token: 'flt_saved', namespace: 'team-a' };
    expect(resolveSettings({}, 'p', saved)).toEqual({ ...saved, configPath: 'p' });
    expect(resolveSettings({ FLOTILLA_ENDPOINT: 'http://env', FLOTILLA_TOKEN: ' flt_env\n', FLOTILLA_NAMESPACE: 'team-b' }, 'p', saved)).toEqual({
      endpoint: 'http://env',
      token: 'flt_env',
      namespace: 'team-b',
      configPath: 'p',
    });
    expect(resolveSettings({ FLOTILLA_ENDPOINT: '' }, 'p', undefined)).toEqual({ endpoint: undefined, token: undefined, namespace: 'default', configPath: 'p' });
  });
});

describe('flotilla login', () => {
  const home = () => tempDir('flotilla-home-');

  it('checks the endpoint and the token, then saves them for later commands', async () => {
    const api = await serve({ 'GET /healthz': { json: { status: 'ok' } }, 'GET /clusters': { json: { clusters: [] } } });
    const dir = home();
    const env = { FLOTILLA_CONFIG: join(dir, 'flotilla', 'config.yaml') };
    const login = await runCli(['login', '--endpoint', `${api.url}/`, '--token', 'flt_saved', '-n', 'team-a'], { env, home: dir });
    expect(login).toEqual({ code: 0, stdout: `Logged in to ${api.url}; saved in ${env.FLOTILLA_CONFIG}.\n`, stderr: '' });
    expect(parse(readFileSync(env.FLOTILLA_CONFIG, 'utf8'))).toEqual({ endpoint: api.url, token: 'flt_saved', namespace: 'team-a' });
    expect(mode(env.FLOTILLA_CONFIG)).toBe(0o600);
    expect(api.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/healthz', 'Bearer flt_saved'],
      ['/clusters', 'Bearer flt_saved'],
    ]);

    // A later command uses the saved endpoint, token and namespace.
    const status = await runCli(['revisions', 'example-app'], { env, home: dir });
    expect(status.code).toBe(1);
    expect(api.requests.at(-1)).toMatchObject({ path: '/namespaces/team-a/applications/example-app/revisions', headers: { authorization: 'Bearer flt_saved' } });
    // The environment overrides it.
    await runCli(['revisions', 'example-app'], { env: { ...env, FLOTILLA_TOKEN: 'flt_env', FLOTILLA_NAMESPACE: 'team-b' }, home: dir });
    expect(api.requests.at(-1)).toMatchObject({ path: '/namespaces/team-b/applications/example-app/revisions', headers: { authorization: 'Bearer flt_env' } });
  });

  it('reads the token from standard input with --token -', async () => {
    const api = await serve({ 'GET /healthz': { json: { status: 'ok' } }, 'GET /clusters': { json: { clusters: [] } } });
    const dir = home();
    const env = { FLOTILLA_CONFIG: join(dir, 'config.yaml') };
    expect((await runCli(['login', '--endpoint', api.url, '--token', '-'], { env, home: dir, files: { '-': 'flt_from_stdin\n' } })).code).toBe(0);
    expect(readConfig(env.FLOTILLA_CONFIG)?.token).toBe('flt_from_stdin');
  });

  it('saves nothing when the token is refused (exit 1)', async () => {
    const api = await serve({
      'GET /healthz': { json: { status: 'ok' } },
      'GET /clusters': { status: 401, json: { error: { code: 'unauthenticated', message: 'unknown or revoked token', details: [] } } },
    });
    const dir = home();
    const env = { FLOTILLA_CONFIG: join(dir, 'config.yaml') };
    expect(await runCli(['login', '--endpoint', api.url, '--token', 'flt_bad'], { env, home: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: unknown or revoked token\n(check FLOTILLA_TOKEN, or run flotilla login with a valid token)\n',
    });
    expect(readConfig(env.FLOTILLA_CONFIG)).toBeUndefined();
  });

  it('saves nothing when nothing answers (exit 1)', async () => {
    const dir = home();
    const port = await closedPort();
    const { code, stderr } = await runCli(['login', '--endpoint', `http://127.0.0.1:${port}`, '--token', 'flt_x'], { env: { FLOTILLA_CONFIG: join(dir, 'c.yaml') }, home: dir });
    expect(code).toBe(1);
    expect(stderr).toBe(`Error: cannot reach the Flotilla API at http://127.0.0.1:${port}: ECONNREFUSED\n`);
    expect(readConfig(join(dir, 'c.yaml'))).toBeUndefined();
  });

  it('exits 2 for an endpoint that is no http(s) URL', async () => {
    const dir = home();
    const { code, stderr } = await runCli(['login', '--endpoint', 'localhost:8080', '--token', 'flt_x'], { env: { FLOTILLA_CONFIG: join(dir, 'c.yaml') }, home: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('error: ');
    expect(stderr).toContain('endpoint');
  });

  it('tells a command without any endpoint how to configure one', async () => {
    const dir = home();
    const path = join(dir, 'c.yaml');
    expect(await runCli(['cluster', 'list'], { env: { FLOTILLA_CONFIG: path }, home: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error: no Flotilla API configured: run flotilla login --endpoint URL --token TOKEN (saved in ${path}), or set FLOTILLA_ENDPOINT and FLOTILLA_TOKEN\n`,
    });
  });
});

/** A loopback port nothing listens on: one that was just free. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
