// The local control plane: every Flotilla function in one process, on the embedded dynalite + fauxqs (or on any AWS
// endpoint with `backend: 'external'`), wired the way the CDK stack wires them on AWS: the API behind an HTTP API
// gateway, the planner and applier behind SQS event source mappings, the refresh function behind schedules.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EventSource, SqsHandler } from './event-source.ts';
import { startEventSource } from './event-source.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { startEmbeddedAws, type EmbeddedAws } from './embedded.ts';
import { serveHttpApi, type HttpApiHandler, type HttpGateway } from './http-gateway.ts';
import { lambdaContext } from './lambda-context.ts';
import { provisionLocal } from './provision.ts';
import { createFaultLog } from './fault-log.ts';
import { watchResources } from './resource-watch.ts';
import { createAwsClients, awsSettingsFromEnv } from '../lib/adapters/aws/clients.ts';
import { createStore } from '../lib/adapters/dynamodb/store.ts';
import { authenticate, createToken } from '../lib/engine/tokens/tokens.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';

export interface LocalRuntimeOptions {
  /** HTTP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** State: embedded DynamoDB data, the credentials master key, the admin token. */
  dataDir: string;
  backend: 'embedded' | 'external';
  /** Table and queue name prefix. */
  prefix: string;
  /** Health refresh and drift correction intervals. */
  refreshSeconds: number;
  driftSeconds: number;
  /** How often the planner sweeps for work a lost message left waiting (default 30). */
  sweepSeconds?: number;
  /** Every SQS batch is handed to its function twice, to show that at-least-once delivery changes nothing. */
  duplicateDeliveries: boolean;
  /** Extra environment for the functions (e.g. DEFAULT_STEP_TIMEOUT_SECONDS). */
  functionEnv?: Record<string, string>;
  /** Repeated failures of a poller are logged once per this many seconds (default 60), with a count. */
  faultLogSeconds?: number;
  /** How often the runtime checks that its table and queues still exist, re-creating them if not (default 15; 0 never). */
  watchSeconds?: number;
  /** Without the HTTP API: the workflow engine alone (its tests drive the store directly). */
  serveApi?: boolean;
  log?: (line: string) => void;
}

export interface LocalRuntime {
  /** The API's base URL; empty when `serveApi` is false. */
  url: string;
  adminToken: string;
  adminTokenPath: string;
  /** Graceful: no new requests; requests and batches already accepted finish; then everything closes. */
  stop(): Promise<void>;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalRuntimeOptions {
  const backend = env.FLOTILLA_BACKEND ?? 'embedded';
  if (backend !== 'embedded' && backend !== 'external') throw new Error(`FLOTILLA_BACKEND must be embedded or external, not ${backend}`);
  const number = (name: string, fallback: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not ${env[name]}`);
    return value;
  };
  return {
    port: number('PORT', 8080),
    dataDir: resolve(env.FLOTILLA_DATA_DIR ?? '.flotilla'),
    backend,
    prefix: env.FLOTILLA_PREFIX ?? 'flotilla',
    refreshSeconds: number('FLOTILLA_REFRESH_SECONDS', 30),
    driftSeconds: number('DRIFT_INTERVAL_SECONDS', 300),
    sweepSeconds: number('FLOTILLA_SWEEP_SECONDS', 30),
    duplicateDeliveries: env.FLOTILLA_DUPLICATE_DELIVERIES === '1',
  };
}

/** Takes the data dir's lock first (a second start on it is refused, before dynalite opens it); stop() releases it. */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  await mkdir(options.dataDir, { recursive: true });
  const lock = await lockDataDir(options.dataDir);
  try {
    const runtime = await startUnlocked(options);
    return { ...runtime, stop: () => runtime.stop().finally(() => lock.release()) };
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function startUnlocked(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? ((line: string) => console.error(`[flotilla] ${line}`));
  let embedded: EmbeddedAws | undefined;
  if (options.backend === 'embedded') {
    embedded = await startEmbeddedAws({ dataDir: join(options.dataDir, 'data') });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: embedded.dynamodbEndpoint,
      AWS_ENDPOINT_URL_SQS: embedded.sqsEndpoint,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    });
  }
  const clients = createAwsClients(awsSettingsFromEnv());
  const resources = await provisionLocal(clients.dynamodb, clients.sqs, options.prefix);
  Object.assign(process.env, {
    TABLE_NAME: resources.tableName,
    PLANNER_QUEUE_URL: resources.plannerQueueUrl,
    APPLIER_QUEUE_URL: resources.applierQueueUrl,
    HEALTH_QUEUE_URL: resources.healthQueueUrl,
    CREDENTIALS_KEY_FILE: process.env.CREDENTIALS_KEY_FILE ?? join(options.dataDir, 'credentials.key'),
    DRIFT_INTERVAL_SECONDS: String(options.driftSeconds),
    // Local member clusters (kind) listen on 127.0.0.1; on AWS loopback would be the function's own host.
    CLUSTER_ENDPOINT_ALLOW_LOOPBACK: 'true',
    // The functions keep their metrics in process too, for GET /metrics below.
    LOCAL_METRICS: 'true',
    ...options.functionEnv,
  });
  const adminTokenPath = join(options.dataDir, 'admin-token');
  const adminToken = await ensureAdminToken(createStore(clients.dynamodb, resources.tableName), adminTokenPath);

  // The functions read their configuration when first imported, so they are imported only now.
  const planner = (await import('../functions/planner.ts')).handler as unknown as SqsHandler;
  const applier = (await import('../functions/applier.ts')).handler as unknown as SqsHandler;
  const refresh = (await import('../functions/refresh.ts')).handler as unknown as (event: unknown, context: unknown) => Promise<unknown>;

  const deliver = (handler: SqsHandler): SqsHandler =>
    options.duplicateDeliveries
      ? async (event, context) => {
          await handler(event, context);
          return handler(event, context);
        }
      : handler;
  // A backend that is down fails every poll; the fault log says so once per interval, and the watch re-creates what
  // a backend restarted empty has lost.
  const faults = createFaultLog(log, (options.faultLogSeconds ?? 60) * 1000);
  const watch = watchResources({ clients, prefix: options.prefix, resources, adminTokenPath, log, checkSeconds: options.watchSeconds ?? 15 });
  const reporting = (queue: string) => {
    const source = `event source ${queue}`;
    return {
      onError: (err: unknown) => {
        faults.failure(source, err);
        watch.noticed(err);
      },
      onReceive: () => faults.success(source),
    };
  };
  const sources: EventSource[] = [
    startEventSource({ sqs: clients.sqs, queueUrl: resources.plannerQueueUrl, handler: deliver(planner), functionName: 'planner', batchSize: 10, concurrency: 2, ...reporting('planner') }),
    startEventSource({ sqs: clients.sqs, queueUrl: resources.applierQueueUrl, handler: deliver(applier), functionName: 'applier', batchSize: 10, concurrency: 4, ...reporting('applier') }),
    startEventSource({ sqs: clients.sqs, queueUrl: resources.healthQueueUrl, handler: deliver(applier), functionName: 'applier', batchSize: 10, concurrency: 2, ...reporting('health') }),
  ];
  const schedules = [
    schedule(options.refreshSeconds, () => refresh({ task: 'refresh' }, lambdaContext('refresh', 60_000)), log),
    schedule(options.driftSeconds, () => refresh({ task: 'drift' }, lambdaContext('refresh', 60_000)), log),
    schedule(options.sweepSeconds ?? 30, () => refresh({ task: 'sweep' }, lambdaContext('refresh', 60_000)), log),
  ];
  // The embedded queues do not survive a restart, so at start nothing is in flight: every active run and open
  // target is picked up again from the store (docs/engine.md, "what happens when").
  await refresh({ task: 'recover' }, lambdaContext('refresh', 60_000));
  let gateway: HttpGateway | undefined;
  if (options.serveApi !== false) {
    const api = (await import('../functions/api.ts')).handler as unknown as HttpApiHandler;
    const { metricRegistry } = await import('../functions/runtime.ts');
    gateway = await serveHttpApi(api, {
      port: options.port,
      functionName: 'api',
      // What CloudWatch gets as EMF on AWS, here in the Prometheus text format (docs/operations.md).
      localRoutes: { '/metrics': () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: metricRegistry.render() }) },
    });
    log(`control plane listening on ${gateway.url} (${options.backend} AWS backend, data in ${options.dataDir})`);
    log(`metrics (Prometheus text) at ${gateway.url}/metrics`);
  }
  log(`admin token in ${adminTokenPath}`);

  return {
    url: gateway?.url ?? '',
    adminToken,
    adminTokenPath,
    stop: async () => {
      for (const timer of schedules) clearInterval(timer);
      watch.stop();
      await gateway?.close();
      await Promise.all(sources.map((source) => source.stop()));
      await watch.settled();
      for (const client of Object.values(clients)) client.destroy();
      await embedded?.close();
    },
  };
}

function schedule(seconds: number, task: () => Promise<unknown>, log: (line: string) => void): NodeJS.Timeout {
  const timer = setInterval(() => {
    task().catch((err: unknown) => log(`scheduled task failed: ${errorMessage(err)}`));
  }, Math.max(1, seconds) * 1000);
  timer.unref();
  return timer;
}

/**
 * The first start creates an admin token and writes it to `<dataDir>/admin-token` (0600); later starts reuse it while
 * it still authenticates. Only its hash is stored.
 */
async function ensureAdminToken(store: ReturnType<typeof createStore>, path: string): Promise<string> {
  if (existsSync(path)) {
    const saved = (await readFile(path, 'utf8')).trim();
    if ((await authenticate(store.tokens, saved))?.role === 'admin') return saved;
  }
  const { token } = await createToken(store.tokens, { role: 'admin', description: 'created by the first npm start' });
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return token;
}
