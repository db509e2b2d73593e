// `flotilla trigger add|list|rm` against the API function on moto: the commands build the trigger from their flags,
// print the webhook URL and a generated secret once, list without secrets, and remove. The generated secret is then
// used as GitHub would use it, so the printed secret is the one the trigger verifies with.
import { Command, CommanderError } from '@commander-js/extra-typings';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import picocolors from 'picocolors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../../cli/context.ts';
import { triggerCommand } from '../../../cli/commands/trigger-group.ts';
import { failureMessage } from '../../../cli/output/failure-message.ts';
import { UsageError } from '../../../cli/usage-error.ts';
import { limitMessages, MAX_TRIGGERS_PER_APPLICATION } from '../../../lib/core/application/limits.ts';
import { call, startApiServer, type ApiServer } from '../api/api-server.ts';
import { githubHeaders, githubPush, newSha, postHook, twoComponentApp, joinAppCluster } from './trigger-harness.ts';

const namespace = `trigger-cli-${Date.now().toString(36)}`;
let server: ApiServer;

/** Runs `flotilla trigger ...` in-process: stdout, stderr and the exit code as the CLI's main would give them. */
async function flotilla(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const home = mkdtempSync(join(tmpdir(), 'flotilla-trigger-cli-'));
  const colors = picocolors.createColors(false);
  const context: CliContext = {
    terminal: {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      readText: (path) => (path === '-' ? stdin : ''),
      colors,
      errorColors: colors,
      liveColumns: undefined,
    },
    environment: {
      env: { FLOTILLA_ENDPOINT: server.url, FLOTILLA_TOKEN: server.adminToken, FLOTILLA_NAMESPACE: namespace, FLOTILLA_CONFIG: join(home, 'config.yaml') },
      home,
      fetch: (url, init) => fetch(url, init),
      clock: { now: () => Date.now(), date: () => new Date(), sleep: async () => {} },
      readBytes: () => new Uint8Array(),
    },
  };
  const program = new Command('flotilla').exitOverride().configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
  program.addCommand(triggerCommand(context));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (err instanceof CommanderError) return { code: err.exitCode === 0 ? 0 : 2, stdout, stderr };
    if (err instanceof UsageError) return { code: 2, stdout, stderr: `${stderr}Error: ${err.message}\n` };
    return { code: 1, stdout, stderr: `${stderr}${failureMessage(err)}` };
  }
}

beforeAll(async () => {
  for (const name of ['CI_EVENTS_QUEUE_URL', 'SLACK_INLINE_BUDGET_MS', 'SLACK_RESPONSE_URL_ORIGINS']) delete process.env[name];
  server = await startApiServer({ credentials: 'key-file' });
  await joinAppCluster(server);
  expect((await call(server, 'POST', '/applications', { token: server.adminToken, body: twoComponentApp(namespace) })).status).toBe(202);
});
afterAll(async () => {
  await server?.close();
});

describe('flotilla trigger', () => {
  let id = '';
  let secret = '';

  it('add builds the rules from its flags and prints the webhook URL and a generated secret once', async () => {
    const added = await flotilla(['trigger', 'add', 'shop', '--source', 'github', '--component', 'api', '--on', 'push,tag', '--branch', 'main', '--tag', 'v*', '--image', 'ghcr.io/codertocat/hello-world:${shortSha}']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const match = /^Trigger ([0-9a-f]{20}) added to shop \(namespace [^)]+\): github push\(main\) tag\(v\*\) -> component api\.\nWebhook URL: (\S+)\nSecret: +([0-9a-f]{64})\nAdd both in the repository/.exec(added.stdout);
    expect(match, added.stdout).not.toBeNull();
    [, id = '', , secret = ''] = match!;
    expect(match![2]).toBe(`${server.url}/hooks/github/${id}`);

    const body = JSON.stringify(githubPush('main', newSha()));
    const delivered = await postHook(server, `/hooks/github/${id}`, body, githubHeaders(secret, body, 'push', `cli-${id}`));
    expect(delivered.status, delivered.text).toBe(202);
  });

  it('add takes the secret from standard input, and prints the trigger as data with -o', async () => {
    const added = await flotilla(['trigger', 'add', 'shop', '--source', 'gitlab', '--component', 'web', '--on', 'pipeline', '--image', 'ghcr.io/codertocat/web:${sha}', '--secret', '-', '-o', 'json'], 'a-secret-typed-in-by-hand\n');
    expect(added.code, added.stderr).toBe(0);
    const trigger = JSON.parse(added.stdout);
    expect(trigger).toMatchObject({ source: 'gitlab', component: 'web', events: [{ on: 'pipeline' }] });
    expect(trigger.secret).toBeUndefined();
    expect(added.stdout).not.toContain('a-secret-typed-in-by-hand');
  });

  it('list shows the triggers without secrets; rm removes one', async () => {
    const listed = await flotilla(['trigger', 'list', 'shop']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+\tAPP\s*\tNAMESPACE\s*\tSOURCE\s*\tEVENTS\s*\tCOMPONENT\s*\tIMAGE$/);
    expect(listed.stdout).toContain(`${id}\tshop`);
    expect(listed.stdout).toContain('push(main) tag(v*)');
    expect(listed.stdout).not.toContain(secret);
    const everywhere = await flotilla(['trigger', 'list', '-o', 'yaml']);
    expect(everywhere.stdout).toContain(`id: ${id}`);

    const removed = await flotilla(['trigger', 'rm', 'shop', id]);
    expect(removed).toMatchObject({ code: 0, stdout: `Trigger ${id} removed from shop (namespace ${namespace}).\n` });
    const again = await flotilla(['trigger', 'rm', 'shop', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Error: no trigger ${id}\n`);
  });

  it('says what is wrong with the flags or the rules', async () => {
    const stray = await flotilla(['trigger', 'add', 'shop', '--source', 'github', '--component', 'api', '--on', 'push', '--project', 'x', '--image', 'a:${sha}']);
    expect(stray).toMatchObject({ code: 2, stderr: 'Error: --project filters none of the events given with --on (push)\n' });
    const refused = await flotilla(['trigger', 'add', 'shop', '--source', 'eventbridge', '--component', 'nope', '--on', 'codebuild']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/events\[0\]\.projects: is required/);
    expect(refused.stderr).toMatch(/component: shop has no component nope; it has api, web/);
  });

  it('refuses a trigger beyond MAX_TRIGGERS_PER_APPLICATION, naming the limit, and keeps the ones it has', async () => {
    const before = (await flotilla(['trigger', 'list', 'shop', '-o', 'json'])).stdout;
    const held = (JSON.parse(before) as unknown[]).length;
    const add = () => flotilla(['trigger', 'add', 'shop', '--source', 'github', '--component', 'api', '--on', 'push', '--branch', 'main', '--image', 'a:${sha}', '-o', 'json']);
    for (let count = held; count < MAX_TRIGGERS_PER_APPLICATION; count++) expect((await add()).code).toBe(0);
    const over = await add();
    expect(over.code).toBe(1);
    expect(over.stderr).toBe(`Error: ${limitMessages.triggers}\n`);
    expect(JSON.parse((await flotilla(['trigger', 'list', 'shop', '-o', 'json'])).stdout)).toHaveLength(MAX_TRIGGERS_PER_APPLICATION);
  });
});
