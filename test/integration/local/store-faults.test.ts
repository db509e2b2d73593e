// Store faults against real components: the local runtime (API, pollers, watch) on a moto of this file's own, which
// the test kills by PID and starts again empty on the same port, as a tester restarting moto would. The shared moto
// of the test run is left alone. A hung store is a loopback socket that accepts and never answers.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeLoopbackPort, isAlive, pollUntil } from '../../../devenv/process.ts';
import { createAwsClients } from '../../../lib/adapters/aws/clients.ts';
import { infrastructureFault } from '../../../lib/adapters/aws/infrastructure-fault.ts';
import { createStore } from '../../../lib/adapters/dynamodb/store.ts';
import { createToken } from '../../../lib/engine/tokens/tokens.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime.ts';
import { call } from '../api/api-server.ts';

const motoServer = resolve(import.meta.dirname, '../../../.flotilla/venv/bin/moto_server');

/** A moto_server of our own on `port`, in its own process group; resolves once it answers. */
async function startOwnMoto(port: number): Promise<number> {
  const child = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid!;
  const answers = () =>
    fetch(`http://127.0.0.1:${port}/moto-api/config`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
  await pollUntil(async () => !isAlive(pid) || (await answers()), 60_000, 200);
  if (!(await answers())) throw new Error(`own moto on ${port} did not come up`);
  return pid;
}

async function killGroup(pid: number): Promise<void> {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    return;
  }
  await pollUntil(async () => !isAlive(pid), 10_000, 50);
}

describe('the local runtime when its moto dies and comes back empty', () => {
  let port: number;
  let motoPid: number | undefined;
  let dataDir: string;
  let runtime: LocalRuntime;
  const lines: string[] = [];

  beforeAll(async () => {
    inject('motoEndpoint'); // the global setup installed moto's venv; this file runs its own instance of it
    port = await freeLoopbackPort();
    motoPid = await startOwnMoto(port);
    const endpoint = `http://127.0.0.1:${port}`;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_SQS: endpoint,
      AWS_ENDPOINT_URL_KMS: endpoint,
      AWS_ACCESS_KEY_ID: 'flotilla-test',
      AWS_SECRET_ACCESS_KEY: 'flotilla-test',
      AWS_REGION: 'us-east-1',
    });
    for (const name of ['AWS_SESSION_TOKEN', 'CREDENTIALS_KMS_KEY_ID', 'CREDENTIALS_KEY_FILE']) delete process.env[name];
    dataDir = await mkdtemp(join(tmpdir(), 'flotilla-store-faults-'));
    runtime = await startLocalRuntime({
      port: 0,
      dataDir,
      backend: 'external',
      prefix: 'flotilla-faults',
      refreshSeconds: 3600,
      driftSeconds: 3600,
      duplicateDeliveries: false,
      faultLogSeconds: 60,
      watchSeconds: 2,
      log: (line) => lines.push(line),
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    if (motoPid !== undefined) await killGroup(motoPid);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers as usual while moto is up, and /healthz says the store and queues are ok', async () => {
    expect((await call(runtime, 'GET', '/clusters', { token: runtime.adminToken })).status).toBe(200);
    const health = await call(runtime, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok', checks: { store: 'ok', queues: 'ok' } });
  });

  it('with moto killed: 503 store_unavailable with Retry-After and the request id, fast; /healthz 503 naming each part', async () => {
    await killGroup(motoPid!);
    motoPid = undefined;
    lines.length = 0;

    const started = Date.now();
    const answer = await call(runtime, 'GET', '/clusters', { token: runtime.adminToken });
    const ms = Date.now() - started;
    expect(answer.status).toBe(503);
    const requestId = answer.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(answer.json).toEqual({
      error: { code: 'store_unavailable', message: `the store (DynamoDB) could not be reached; retry in 5 s (request id ${requestId})`, details: [] },
    });
    expect(ms).toBeLessThan(10_000);

    // The ticket gave a 500 in the hung case; the health route must report instead of hanging.
    await sleep(2_100); // past the shared health answer
    const health = await call(runtime, 'GET', '/healthz');
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
    expect(health.json).toMatchObject({ error: { code: 'store_unavailable' } });
    const details = (health.json as { error: { details: { path: string; message: string }[] } }).error.details;
    expect(details.map((d) => d.path).sort()).toEqual(['queues.applier', 'queues.health', 'queues.planner', 'store']);
    expect(details.every((d) => d.message === 'could not be reached')).toBe(true);
  });

  it('logs the pollers\' failures once per interval, not once per poll', async () => {
    // Eight pollers that used to log every second each: 15 s down would have been ~120 lines.
    await sleep(15_000);
    const pollerLines = lines.filter((line) => line.startsWith('event source'));
    console.error(`[store-faults] ${pollerLines.length} poller line(s) in ~17 s of outage:\n${pollerLines.join('\n')}`);
    expect(pollerLines.length).toBeGreaterThan(0);
    // One per event source (planner, applier, health): the interval is 60 s.
    expect(pollerLines.length).toBeLessThanOrEqual(3);
  });

  it('when moto comes back empty: re-provisions, says the tokens are gone without minting one, and serves again', async () => {
    const savedToken = await readFile(runtime.adminTokenPath, 'utf8');
    motoPid = await startOwnMoto(port);
    await pollUntil(async () => (await call(runtime, 'GET', '/healthz')).status === 200, 60_000, 500);
    expect(lines.some((line) => line.startsWith('re-provisioned the table and queues'))).toBe(true);
    expect(lines.some((line) => line.includes('was re-created EMPTY') && line.includes(runtime.adminTokenPath))).toBe(true);
    // No token behind the user's back: the file is as it was, and the old token is now unknown.
    expect(await readFile(runtime.adminTokenPath, 'utf8')).toBe(savedToken);
    expect((await call(runtime, 'GET', '/clusters', { token: runtime.adminToken })).status).toBe(401);

    const clients = createAwsClients();
    try {
      const { token } = await createToken(createStore(clients.dynamodb, process.env.TABLE_NAME!).tokens, { role: 'admin', description: 'store-faults test' });
      expect((await call(runtime, 'GET', '/clusters', { token })).status).toBe(200);
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
    // The pollers said they recovered.
    await pollUntil(async () => lines.some((line) => /^event source \w+: recovered/.test(line)), 20_000, 250);
  });
});

describe('a hung store', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port: number;
  beforeAll(async () => {
    // Accepts connections and never answers, like a store that hangs.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('fails within the API Gateway budget as a timeout fault, not after 30 s', async () => {
    const endpoint = `http://127.0.0.1:${port}`;
    const clients = createAwsClients({ region: 'us-east-1', dynamodbEndpoint: endpoint, sqsEndpoint: endpoint, kmsEndpoint: endpoint });
    try {
      const started = Date.now();
      const err = await createStore(clients.dynamodb, 'hung').clusters.list().then(
        () => undefined,
        (e: unknown) => e,
      );
      const ms = Date.now() - started;
      console.error(`[store-faults] hung store failed after ${ms} ms: ${String(err)}`);
      expect(infrastructureFault(err)).toEqual({ service: 'dynamodb', kind: 'timeout' });
      expect(ms).toBeLessThan(25_000);
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  });
});
