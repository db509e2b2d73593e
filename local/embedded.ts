// Zero-setup local AWS for `npm start`: dynalite (DynamoDB) and fauxqs (SQS) inside this Node process, each on its own
// loopback port. Neither has transactions or DynamoDB streams (see test/integration/aws), so the code they serve must not
// rely on them.
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildApp } from 'fauxqs';

export interface EmbeddedAwsOptions {
  /** Where DynamoDB data persists (`<dataDir>/dynamodb`, LevelDB). Without it, everything lives in memory. */
  dataDir?: string;
}

export interface EmbeddedAws {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  /** Stops both servers, drops their connections and closes the database. */
  close(): Promise<void>;
}

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
// dynalite is CommonJS without type declarations; this is the slice of its documented API used here.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

export async function startEmbeddedAws(opts: EmbeddedAwsOptions = {}): Promise<EmbeddedAws> {
  const dynamodbPath = opts.dataDir === undefined ? undefined : join(opts.dataDir, 'dynamodb');
  if (dynamodbPath !== undefined) await mkdir(dynamodbPath, { recursive: true });
  // Tables become ACTIVE at once: callers wait for ACTIVE as on AWS, so the default 500 ms only slows local runs.
  const dynamodb = dynalite({ path: dynamodbPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamodb.once('error', reject);
    dynamodb.listen(0, '127.0.0.1', () => {
      dynamodb.off('error', reject);
      resolve();
    });
  });

  // buildApp rather than startFauxqs: startFauxqs always binds 0.0.0.0, and the local mode stays on loopback.
  // The price is that SQS state is in memory only (fauxqs persistence is wired up inside startFauxqs).
  const sqs = buildApp({ logger: false });
  let sqsEndpoint: string;
  try {
    sqsEndpoint = await sqs.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await closeDynalite(dynamodb);
    throw err;
  }

  return {
    dynamodbEndpoint: `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}`,
    sqsEndpoint,
    close: async () => {
      await Promise.all([sqs.close(), closeDynalite(dynamodb)]);
    },
  };
}

/** dynalite's close waits for its database; idle keep-alive sockets of SDK clients would hold it up, so drop them. */
async function closeDynalite(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  server.closeAllConnections();
  await closed;
}
