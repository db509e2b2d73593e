// The API function served over real HTTP on moto, the way the local runtime serves it, but without the planner and
// appliers: nothing consumes the queues, so the store only changes through the requests a test makes, which is what
// store-unchanged assertions need. The function reads its configuration at import, so the environment is set first.
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { PurgeQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, type AwsClients } from '../../../lib/adapters/aws/clients.ts';
import { tokenPartition } from '../../../lib/adapters/dynamodb/keys.ts';
import { createStore } from '../../../lib/adapters/dynamodb/store.ts';
import { type Store } from '../../../lib/engine/ports/store.ts';
import { createTable } from '../../../lib/adapters/dynamodb/table.ts';
import { createToken } from '../../../lib/engine/tokens/tokens.ts';
import { serveHttpApi, type HttpApiHandler } from '../../../local/http-gateway.ts';
import { createQueue, receive, uniqueName } from '../aws/backends.ts';
import { pointFunctionsAtMoto } from '../moto-environment.ts';

export interface ApiServer {
  url: string;
  adminToken: string;
  /** A store on the API's table, for fixtures the API cannot make (inventories) and for reading back. */
  store: Store;
  clients: AwsClients;
  tableName: string;
  plannerQueueUrl: string;
  /** The API function's own module graph, e.g. its engine for driving the planner by hand. */
  functionModules: { api: typeof import('../../../functions/api.ts'); runtime: typeof import('../../../functions/runtime.ts') };
  close(): Promise<void>;
}

export interface ApiServerOptions {
  /** `kms`: data keys from moto's KMS, as on AWS; `key-file`: the local master key file. */
  credentials: 'kms' | 'key-file';
  maxBodyBytes?: number;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const endpoint = pointFunctionsAtMoto();
  const clients = createAwsClients({ region: 'us-east-1', dynamodbEndpoint: endpoint, sqsEndpoint: endpoint, kmsEndpoint: endpoint });
  const tableName = uniqueName('flotilla-api');
  await createTable(clients.dynamodb, tableName);
  const [planner, applier, health] = await Promise.all([
    createQueue(clients.sqs, 'flotilla-api-planner'),
    createQueue(clients.sqs, 'flotilla-api-applier', { fifo: true }),
    createQueue(clients.sqs, 'flotilla-api-health'),
  ]);
  const keyDir = await mkdtemp(join(tmpdir(), 'flotilla-api-'));
  if (options.credentials === 'kms') {
    const { KeyMetadata } = await clients.kms.send(new CreateKeyCommand({ Description: 'flotilla API test' }));
    process.env.CREDENTIALS_KMS_KEY_ID = KeyMetadata!.KeyId!;
  } else {
    process.env.CREDENTIALS_KEY_FILE = join(keyDir, 'credentials.key');
  }
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    PLANNER_QUEUE_URL: planner.url,
    APPLIER_QUEUE_URL: applier.url,
    HEALTH_QUEUE_URL: health.url,
    MAX_BODY_BYTES: String(options.maxBodyBytes ?? 1024 * 1024),
    // As the local runtime sets it: the test clusters listen on 127.0.0.1.
    CLUSTER_ENDPOINT_ALLOW_LOOPBACK: 'true',
  });

  const api = await import('../../../functions/api.ts');
  const runtime = await import('../../../functions/runtime.ts');
  const gateway = await serveHttpApi(api.handler as unknown as HttpApiHandler, { port: 0 });
  const store = createStore(clients.dynamodb, tableName);
  const { token: adminToken } = await createToken(store.tokens, { role: 'admin', description: 'API test admin' });
  return {
    url: gateway.url,
    adminToken,
    store,
    clients,
    tableName,
    plannerQueueUrl: planner.url,
    functionModules: { api, runtime },
    close: async () => {
      await gateway.close();
      for (const client of Object.values(clients)) client.destroy();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every item of the table, in key order, as JSON text: equal snapshots mean nothing was written. A token's
 * `lastUsedAt` is left out: any authenticated request may record it (at most once a minute), refused or not; it is
 * bookkeeping of the caller, not something the request changed.
 */
export async function tableSnapshot(dynamodb: DynamoDBClient, tableName: string): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey as never }));
    items.push(...(page.Items ?? []).map(withoutLastUse));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const key = (item: Record<string, unknown>) => JSON.stringify([item.pk, item.sk]);
  return JSON.stringify(items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)));
}

function withoutLastUse(item: Record<string, unknown>): Record<string, unknown> {
  if ((item.pk as { S?: string } | undefined)?.S !== tokenPartition) return item;
  const { lastUsedAt: _lastUse, ...rest } = item;
  return rest;
}

/** Every message waiting on the queue, received and so hidden for the queue's visibility timeout; bodies parsed. */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<unknown[]> {
  const bodies: unknown[] = [];
  for (;;) {
    const messages = await receive(sqs, queueUrl, { waitSeconds: 0, max: 10 });
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((message) => JSON.parse(message.Body ?? 'null') as unknown));
  }
}

export async function purgeQueue(sqs: SQSClient, queueUrl: string): Promise<void> {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  token?: string | undefined;
  /** Sent as JSON unless a string or bytes (sent as they are). */
  body?: unknown;
  /** Default application/json when there is a body; null sends no Content-Type at all. */
  contentType?: string | null | undefined;
  headers?: Record<string, string>;
}

/** One HTTP request to the API; a plain fetch, so the test sees exactly what a client would. */
export async function call(server: { url: string }, method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' || options.body instanceof Uint8Array ? options.body : JSON.stringify(options.body);
    if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  } else if (typeof options.contentType === 'string') {
    headers['content-type'] = options.contentType;
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
