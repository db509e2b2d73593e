// The embedded local mode's own lifecycle: loopback ports, nothing left open by close(), DynamoDB data in dataDir.
import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { createAwsClients, type AwsClients } from '../../../lib/adapters/aws/clients.ts';
import { startEmbeddedAws, type EmbeddedAws } from '../../../local/embedded.ts';
import { useFakeAwsCredentials, useTemporaryDirectory } from './backends.ts';

function listeningServers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
}

async function withClients<T>(aws: EmbeddedAws, fn: (clients: AwsClients) => Promise<T>): Promise<T> {
  const clients = createAwsClients({
    region: 'us-east-1',
    dynamodbEndpoint: aws.dynamodbEndpoint,
    sqsEndpoint: aws.sqsEndpoint,
  });
  try {
    return await fn(clients);
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

describe('embedded dynalite+fauxqs', () => {
  useFakeAwsCredentials();

  test('listens on loopback only, and close() releases both servers even with client connections open', async () => {
    const before = listeningServers();
    const aws = await startEmbeddedAws();
    expect(aws.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(aws.sqsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listeningServers()).toBe(before + 2);

    const clients = createAwsClients({
      region: 'us-east-1',
      dynamodbEndpoint: aws.dynamodbEndpoint,
      sqsEndpoint: aws.sqsEndpoint,
    });
    // Leave keep-alive connections open on purpose: close() must not wait for them.
    await clients.dynamodb.send(new ListTablesCommand({}));
    await clients.sqs.send(new ListQueuesCommand({}));
    await aws.close();
    await nextTurn();

    expect(listeningServers()).toBe(before);
    for (const endpoint of [aws.dynamodbEndpoint, aws.sqsEndpoint]) {
      await expect(fetch(endpoint, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }
    for (const client of Object.values(clients)) client.destroy();
  });

  describe('with a dataDir', () => {
    const temporaryDirectory = useTemporaryDirectory('flotilla-embedded');

    test('DynamoDB tables and items survive a restart; SQS queues do not (fauxqs runs in memory)', async () => {
      const dataDir = temporaryDirectory();
      const first = await startEmbeddedAws({ dataDir });
      await withClients(first, async ({ dynamodb, sqs }) => {
        await dynamodb.send(
          new CreateTableCommand({
            TableName: 'flotilla',
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          }),
        );
        await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: 'flotilla' });
        await dynamodb.send(
          new PutItemCommand({ TableName: 'flotilla', Item: { pk: { S: 'app#guestbook' }, rev: { N: '3' } } }),
        );
        await sqs.send(new CreateQueueCommand({ QueueName: 'apply' }));
      });
      await first.close();

      const second = await startEmbeddedAws({ dataDir });
      try {
        await withClients(second, async ({ dynamodb, sqs }) => {
          const { Item } = await dynamodb.send(
            new GetItemCommand({ TableName: 'flotilla', Key: { pk: { S: 'app#guestbook' } } }),
          );
          expect(Item?.rev).toEqual({ N: '3' });
          expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
        });
      } finally {
        await second.close();
      }
    });
  });
});
