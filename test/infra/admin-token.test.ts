// The first admin token on AWS (infra/admin-token.ts), against the embedded dynalite.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createFirstAdminToken } from '../../infra/admin-token.ts';
import { repoRoot } from '../../infra/bundling.ts';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded.ts';
import { createStore } from '../../lib/adapters/dynamodb/store.ts';
import { type Store } from '../../lib/engine/ports/store.ts';
import { createTable } from '../../lib/adapters/dynamodb/table.ts';
import { authenticate, revokeToken } from '../../lib/engine/tokens/tokens.ts';

const run = promisify(execFile);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let aws: EmbeddedAws;
let client: DynamoDBClient;
let tableCount = 0;

beforeAll(async () => {
  aws = await startEmbeddedAws();
  client = new DynamoDBClient({ region: 'us-east-1', endpoint: aws.dynamodbEndpoint, credentials });
});
afterAll(async () => {
  client.destroy();
  await aws.close();
});

async function freshStore(): Promise<{ store: Store; table: string }> {
  const table = `admin-token-${++tableCount}`;
  await createTable(client, table);
  return { store: createStore(client, table), table };
}

test('creates an admin token that authenticates; a second one needs --force', async () => {
  const { store } = await freshStore();
  const first = await createFirstAdminToken(store.tokens);
  expect(await authenticate(store.tokens, first.token)).toMatchObject({ role: 'admin', tokenId: first.summary.id, namespaces: [] });
  await expect(createFirstAdminToken(store.tokens)).rejects.toThrow(`the table already has a live admin token (${first.summary.id})`);
  const forced = await createFirstAdminToken(store.tokens, { force: true });
  expect(await authenticate(store.tokens, forced.token)).toMatchObject({ role: 'admin' });
});

test('revoked admin tokens do not count', async () => {
  const { store } = await freshStore();
  const first = await createFirstAdminToken(store.tokens);
  await revokeToken(store.tokens, first.summary.id);
  await expect(createFirstAdminToken(store.tokens)).resolves.toMatchObject({ summary: { role: 'admin' } });
});

test('the script writes the token to --out with mode 0600, and says nothing of it on stderr', async () => {
  const { store, table } = await freshStore();
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-admin-token-'));
  try {
    const out = join(dir, 'admin-token');
    const env = { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: aws.dynamodbEndpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    const { stdout, stderr } = await run(process.execPath, ['infra/admin-token.ts', '--table', table, '--region', 'us-east-1', '--out', out], { cwd: repoRoot, env });
    const token = (await readFile(out, 'utf8')).trim();
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await authenticate(store.tokens, token)).toMatchObject({ role: 'admin' });
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^admin token [0-9a-f]{16} created and written to /);
    expect(stderr).not.toContain(token);
    await expect(run(process.execPath, ['infra/admin-token.ts', '--table', table], { cwd: repoRoot, env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('already has a live admin token'),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('without --table the script prints its usage and exits 2', async () => {
  await expect(run(process.execPath, ['infra/admin-token.ts'], { cwd: repoRoot })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') });
});
