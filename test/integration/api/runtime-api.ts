// The API as `npm start` serves it: the local runtime on moto (backend external), with the planner and appliers
// polling their queues, so what the API queues really runs against the member clusters.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { marshallItem } from '../../../lib/adapters/dynamodb/attribute-value.ts';
import type { Key } from '../../../lib/adapters/dynamodb/table.ts';
import type { Store } from '../../../lib/engine/ports/store.ts';
import { startLocalRuntime } from '../../../local/runtime.ts';
import { uniqueName } from '../aws/backends.ts';
import { pointFunctionsAtMoto } from '../moto-environment.ts';
import { tableSnapshot } from './api-server.ts';

export interface RuntimeApi {
  url: string;
  adminToken: string;
  /** The functions' own store, for reading back what the API and the engine wrote. */
  store: Store;
  /** One item exactly as DynamoDB holds it, attribute values and all. */
  rawItem(key: Key): Promise<Record<string, unknown> | undefined>;
  /** Every item of the table as text (see tableSnapshot): equal snapshots mean nothing was written. */
  snapshot(): Promise<string>;
  stop(): Promise<void>;
}

export async function startRuntimeApi(): Promise<RuntimeApi> {
  pointFunctionsAtMoto();
  const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-api-runtime-'));
  const runtime = await startLocalRuntime({
    port: 0,
    dataDir,
    backend: 'external',
    prefix: uniqueName('flotilla-api'),
    refreshSeconds: 3600,
    driftSeconds: 3600,
    duplicateDeliveries: false,
    functionEnv: { DEFAULT_STEP_TIMEOUT_SECONDS: '60' },
    log: () => {},
  });
  const { store, clients } = await import('../../../functions/runtime.ts');
  const tableName = process.env.TABLE_NAME!;
  return {
    url: runtime.url,
    adminToken: runtime.adminToken,
    store,
    snapshot: () => tableSnapshot(clients.dynamodb, tableName),
    rawItem: async (key) => (await clients.dynamodb.send(new GetItemCommand({ TableName: tableName, Key: marshallItem({ ...key }), ConsistentRead: true }))).Item,
    stop: async () => {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something other than undefined. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
