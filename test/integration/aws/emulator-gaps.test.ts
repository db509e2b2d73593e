// What the embedded local mode (dynalite + fauxqs) lacks and moto has. The gaps are asserted, not skipped: Flotilla must
// run on both, so its design may not rely on any of these features. If an emulator gains one, its test fails and this
// list gets revisited.
import {
  DescribeTableCommand,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, test } from 'vitest';
import { createQueue, createTable, receive, useAwsBackend } from './backends.ts';

function transactTwoPuts(dynamodb: DynamoDBClient, TableName: string) {
  return dynamodb.send(
    new TransactWriteItemsCommand({
      TransactItems: ['a', 'b'].map((pk) => ({ Put: { TableName, Item: { pk: { S: pk } } } })),
    }),
  );
}

async function streamArnOfNewTable(dynamodb: DynamoDBClient): Promise<string | undefined> {
  const TableName = await createTable(dynamodb, 'streamed', {
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
  return Table?.LatestStreamArn;
}

/** Sends two messages of one group, then makes one receive call for up to 10; returns how many came back. */
async function oneGroupBatchSize(sqs: SQSClient): Promise<number> {
  const queue = await createQueue(sqs, 'grouped', { fifo: true });
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: ['1', '2'].map((n) => ({ Id: n, MessageBody: n, MessageGroupId: 'beijing-1', MessageDeduplicationId: n })),
    }),
  );
  return (await receive(sqs, queue.url, { waitSeconds: 1, max: 10 })).length;
}

describe('gaps of the embedded dynalite+fauxqs', () => {
  const aws = useAwsBackend('embedded dynalite+fauxqs');

  test('dynalite has no TransactWriteItems: the store must not rely on transactions', async () => {
    const { dynamodb } = aws();
    const TableName = await createTable(dynamodb, 'transactions');
    await expect(transactTwoPuts(dynamodb, TableName)).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });

  test('dynalite drops StreamSpecification (no LatestStreamArn): nothing may be driven by DynamoDB streams', async () => {
    expect(await streamArnOfNewTable(aws().dynamodb)).toBeUndefined();
  });

  test('dynalite has no UpdateTimeToLive: correctness must not depend on items expiring', async () => {
    const { dynamodb } = aws();
    const TableName = await createTable(dynamodb, 'ttl');
    await expect(
      dynamodb.send(
        new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }),
      ),
    ).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });

  test('fauxqs hands out one message per FIFO group per receive: consumers must not count on batches within a group', async () => {
    expect(await oneGroupBatchSize(aws().sqs)).toBe(1);
  });
});

describe('moto has what the embedded mode lacks, so a pass on moto alone says nothing about local mode', () => {
  const aws = useAwsBackend('moto');

  test('moto runs TransactWriteItems', async () => {
    const { dynamodb } = aws();
    const TableName = await createTable(dynamodb, 'transactions');
    await expect(transactTwoPuts(dynamodb, TableName)).resolves.toBeDefined();
  });

  test('moto keeps StreamSpecification and reports a LatestStreamArn', async () => {
    expect(await streamArnOfNewTable(aws().dynamodb)).toMatch(/^arn:aws:dynamodb:.*\/stream\//);
  });

  test('moto returns several messages of one FIFO group in one receive, as AWS may', async () => {
    expect(await oneGroupBatchSize(aws().sqs)).toBe(2);
  });
});
