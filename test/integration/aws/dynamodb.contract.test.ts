// DynamoDB behaviour the store relies on, pinned on both emulations.
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { backends, createTable, useAwsBackend } from './backends.ts';

describe.each(backends)('DynamoDB contract on %s', (backend) => {
  const aws = useAwsBackend(backend);

  test('a conditional put on an existing key fails with ConditionalCheckFailedException and changes nothing', async () => {
    const { dynamodb } = aws();
    const TableName = await createTable(dynamodb, 'conditional');
    const createOnce = (owner: string) =>
      dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: 'app#guestbook' }, owner: { S: owner } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );

    await createOnce('first');
    await expect(createOnce('second')).rejects.toBeInstanceOf(ConditionalCheckFailedException);

    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'app#guestbook' } }, ConsistentRead: true }),
    );
    expect(Item?.owner).toEqual({ S: 'first' });
  });

  test('UpdateItem ADD is atomic under 50 concurrent updates: every caller sees a distinct value', async () => {
    const { dynamodb } = aws();
    const TableName = await createTable(dynamodb, 'counter');
    const updates = 50;

    const seen = await Promise.all(
      Array.from({ length: updates }, async () => {
        const { Attributes } = await dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: { S: 'revision#guestbook' } },
            UpdateExpression: 'ADD #n :one',
            ExpressionAttributeNames: { '#n': 'n' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return Number(Attributes?.n?.N);
      }),
    );

    // A lost update would show up as a repeated value and a final count below 50.
    expect(seen.toSorted((a, b) => a - b)).toEqual(Array.from({ length: updates }, (_, i) => i + 1));
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'revision#guestbook' } }, ConsistentRead: true }),
    );
    expect(Item?.n).toEqual({ N: String(updates) });
  });

  test('a Query on a GSI returns only the items of that index key, in sort-key order', async () => {
    const { dynamodb } = aws();
    const TableName = await createTable(dynamodb, 'gsi', {
      sortKey: true,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'cluster', AttributeType: 'S' },
        { AttributeName: 'app', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byCluster',
          KeySchema: [
            { AttributeName: 'cluster', KeyType: 'HASH' },
            { AttributeName: 'app', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    const placements = [
      ['guestbook', 'beijing-1'],
      ['guestbook', 'us-west-1'],
      ['api', 'beijing-1'],
      ['web', 'beijing-2'],
    ] as const;
    for (const [app, cluster] of placements) {
      await dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: `app#${app}` }, sk: { S: `cluster#${cluster}` }, app: { S: app }, cluster: { S: cluster } },
        }),
      );
    }

    const { Items } = await dynamodb.send(
      new QueryCommand({
        TableName,
        IndexName: 'byCluster',
        // `cluster` is a DynamoDB reserved word, hence the placeholder (both emulators enforce the list, as AWS does).
        KeyConditionExpression: '#cluster = :cluster',
        ExpressionAttributeNames: { '#cluster': 'cluster' },
        ExpressionAttributeValues: { ':cluster': { S: 'beijing-1' } },
      }),
    );
    expect(Items?.map((item) => item.app?.S)).toEqual(['api', 'guestbook']);
  });
});
