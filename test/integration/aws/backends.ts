// The two AWS emulations the contract tests run against, plus the table and queue set-up they share. Every test makes
// its own uniquely named tables and queues, so nothing is reset between tests and both backends can run in one file.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, inject, vi } from 'vitest';
import { createAwsClients, type AwsClients } from '../../../lib/adapters/aws/clients.ts';
import { startEmbeddedAws, type EmbeddedAws } from '../../../local/embedded.ts';

export const backends = ['moto', 'embedded dynalite+fauxqs'] as const;
export type Backend = (typeof backends)[number];

const region = 'us-east-1';

/** Registers beforeAll/afterAll hooks that bring `backend` up for the enclosing describe; returns its clients. */
export function useAwsBackend(backend: Backend): () => AwsClients {
  let clients: AwsClients | undefined;
  let embedded: EmbeddedAws | undefined;
  useFakeAwsCredentials();
  beforeAll(async () => {
    if (backend === 'moto') {
      const endpoint = inject('motoEndpoint');
      clients = createAwsClients({ region, dynamodbEndpoint: endpoint, sqsEndpoint: endpoint, kmsEndpoint: endpoint });
    } else {
      embedded = await startEmbeddedAws();
      clients = createAwsClients({
        region,
        dynamodbEndpoint: embedded.dynamodbEndpoint,
        sqsEndpoint: embedded.sqsEndpoint,
      });
    }
  });
  afterAll(async () => {
    if (clients) for (const client of Object.values(clients)) client.destroy();
    await embedded?.close();
  });
  return () => {
    if (!clients) throw new Error(`${backend} is not up: useAwsBackend must be called inside a describe`);
    return clients;
  };
}

/** Emulators accept any credentials, but the SDK refuses to sign a request without some. */
export function useFakeAwsCredentials(): void {
  beforeAll(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'flotilla-test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'flotilla-test');
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });
}

/** A fresh directory for the enclosing describe, removed after it. */
export function useTemporaryDirectory(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('useTemporaryDirectory must be called inside a describe');
    return dir;
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A pay-per-request table keyed by string `pk` (and `sk` when asked), ACTIVE on return. */
export async function createTable(
  dynamodb: DynamoDBClient,
  prefix: string,
  extra: Partial<CreateTableCommandInput> & { sortKey?: boolean } = {},
): Promise<string> {
  const { sortKey = false, ...rest } = extra;
  const TableName = uniqueName(prefix);
  await dynamodb.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        ...(sortKey ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []),
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...(sortKey ? [{ AttributeName: 'sk', AttributeType: 'S' as const }] : []),
      ],
      ...rest,
    }),
  );
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName });
  return TableName;
}

/** Creates a queue (a `.fifo` one when `fifo`), returning its URL and ARN. */
export async function createQueue(
  sqs: SQSClient,
  prefix: string,
  options: { fifo?: boolean; attributes?: Record<string, string> } = {},
): Promise<{ url: string; arn: string }> {
  const { fifo = false, attributes = {} } = options;
  const name = `${uniqueName(prefix)}${fifo ? '.fifo' : ''}`;
  const created = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: fifo ? { FifoQueue: 'true', ...attributes } : attributes,
    }),
  );
  const url = created.QueueUrl;
  if (!url) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  // Asked for rather than built: the emulators use different account ids (moto 123456789012, fauxqs 000000000000).
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes ${name} returned no QueueArn`);
  return { url, arn };
}

/** One ReceiveMessage call, with ApproximateReceiveCount requested. */
export async function receive(
  sqs: SQSClient,
  queueUrl: string,
  options: { waitSeconds: number; max?: number },
): Promise<Message[]> {
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      WaitTimeSeconds: options.waitSeconds,
      MaxNumberOfMessages: options.max ?? 1,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  return received.Messages ?? [];
}

export function receiveCount(message: Message | undefined): number | undefined {
  const count = message?.Attributes?.ApproximateReceiveCount;
  return count === undefined ? undefined : Number(count);
}
