import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { startEmbeddedAws } from '../../../local/embedded.ts';
import { createStore } from '../../../lib/adapters/dynamodb/store.ts';
import { type Store } from '../../../lib/engine/ports/store.ts';
import { createTable } from '../../../lib/adapters/dynamodb/table.ts';

/** Emulators accept any credentials; fixed ones keep the SDK from searching the machine for real ones. */
export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const testRegion = 'us-east-1';

export interface DynamoBackend {
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

/** The two DynamoDB implementations the store must work on unchanged: moto (CI, like AWS) and embedded dynalite. */
export const dynamoBackends: { name: string; open(): Promise<DynamoBackend> }[] = [
  {
    name: 'moto',
    open: async () => {
      const client = new DynamoDBClient({ region: testRegion, endpoint: inject('motoEndpoint'), credentials: testCredentials });
      return withTable(client, async () => client.destroy());
    },
  },
  {
    name: 'dynalite',
    open: async () => {
      const aws = await startEmbeddedAws();
      const client = new DynamoDBClient({ region: testRegion, endpoint: aws.dynamodbEndpoint, credentials: testCredentials });
      return withTable(client, async () => {
        client.destroy();
        await aws.close();
      });
    },
  },
];

async function withTable(client: DynamoDBClient, close: () => Promise<void>): Promise<DynamoBackend> {
  const tableName = `flotilla-test-${randomBytes(4).toString('hex')}`;
  await createTable(client, tableName);
  return { client, tableName, close };
}

export function motoKms(): KMSClient {
  return new KMSClient({ region: testRegion, endpoint: inject('motoEndpoint'), credentials: testCredentials });
}

export interface StoreFixture {
  backend: DynamoBackend;
  store: Store;
}

/** Opens the backend and a store on a fresh table before the suite's tests, and closes it after them. */
export function useStoreOn(open: () => Promise<DynamoBackend>): StoreFixture {
  const fixture = {} as StoreFixture;
  beforeAll(async () => {
    fixture.backend = await open();
    fixture.store = createStore(fixture.backend.client, fixture.backend.tableName);
  });
  afterAll(async () => fixture.backend?.close());
  return fixture;
}
