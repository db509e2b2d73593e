import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { marshallItem, unmarshallItem, type Item, type StoredMap, type StoredValue } from './attribute-value.ts';

/** Key attribute names of the single table and its one GSI; docs/store.md lists every access pattern over them. */
export const keyAttributes = { partition: 'pk', sort: 'sk', groupPartition: 'gsi1pk', groupSort: 'gsi1sk' } as const;
export const groupIndexName = 'gsi1';

export interface Key {
  pk: string;
  sk: string;
}

/** A ConditionExpression with its own placeholders; helpers below keep placeholder names distinct so they combine. */
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, StoredValue>;
}

export const itemAbsent: Condition = { expression: 'attribute_not_exists(#pk)', names: { '#pk': keyAttributes.partition } };
export const itemPresent: Condition = { expression: 'attribute_exists(#pk)', names: { '#pk': keyAttributes.partition } };

export function versionIs(expected: number): Condition {
  return { expression: '#version = :expectedVersion', names: { '#version': 'version' }, values: { ':expectedVersion': expected } };
}

/** For upserts guarded by a version read earlier: 0 means "I saw no item". */
export function versionWas(expected: number): Condition {
  return expected === 0 ? itemAbsent : versionIs(expected);
}

export function allOf(...conditions: Condition[]): Condition {
  return {
    expression: conditions.map((c) => `(${c.expression})`).join(' AND '),
    names: Object.assign({}, ...conditions.map((c) => c.names ?? {})),
    values: Object.assign({}, ...conditions.map((c) => c.values ?? {})),
  };
}

/** One UpdateItem: every clause is optional; attribute names are always aliased (DynamoDB reserves many words). */
export interface Update {
  set?: StoredMap;
  remove?: string[];
  /** Atomic counter increments or string-set unions. */
  add?: Record<string, number | ReadonlySet<string>>;
  /** String-set differences. */
  delete?: Record<string, ReadonlySet<string>>;
}

export interface QueryOptions {
  partition: string;
  sortPrefix?: string;
  /** Query the group index (gsi1pk/gsi1sk) instead of the table; GSI reads are eventually consistent on AWS. */
  byGroup?: boolean;
  descending?: boolean;
  limit?: number;
  /** Only these top-level attributes come back (a ProjectionExpression): a listing can leave a record's bulk behind. */
  attributes?: readonly string[];
}

export interface TableOptions {
  /**
   * The most items one Query page asks for (its Limit). Unset, a page is what DynamoDB returns within its 1 MB: tests
   * set it small so listings really cross pages.
   */
  queryPageSize?: number;
}

/** BatchWriteItem's limit per call. */
const maxBatchWriteItems = 25;
/** Unprocessed items (throttling) are sent again with backoff from this delay, at most this many times. */
const unprocessedRetryMs = 50;
const maxUnprocessedRetries = 8;

export function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err instanceof Error && err.name === 'ConditionalCheckFailedException');
}

function updateCommand(table: string, key: Key, update: Update, condition: Condition | undefined, returnValues: 'ALL_NEW' | 'NONE'): UpdateItemCommand {
  const built = buildUpdate(update);
  const merged = condition ? allOf(built.placeholders, condition) : built.placeholders;
  return new UpdateItemCommand({
    TableName: table,
    Key: marshallItem({ ...key }),
    UpdateExpression: built.expression,
    ...(condition ? { ConditionExpression: condition.expression } : {}),
    ...placeholderParts(merged),
    ReturnValues: returnValues,
  });
}

/** The single table, reached through the low-level client. Reads are strongly consistent wherever DynamoDB allows it. */
export class Table {
  readonly client: DynamoDBClient;
  readonly name: string;
  readonly #pageSize: number | undefined;

  constructor(client: DynamoDBClient, name: string, options: TableOptions = {}) {
    this.client = client;
    this.name = name;
    this.#pageSize = options.queryPageSize;
  }

  async get(key: Key): Promise<Record<string, unknown> | undefined> {
    const { Item: item } = await this.client.send(
      new GetItemCommand({ TableName: this.name, Key: marshallItem({ ...key }), ConsistentRead: true }),
    );
    return item ? unmarshallItem(item) : undefined;
  }

  /**
   * Several items in one BatchGetItem (at most 100 keys), strongly consistent like `get`; answers in the order of
   * `keys`, undefined where an item is absent. Keys DynamoDB leaves unprocessed (throttling) are asked again.
   */
  async batchGet(keys: readonly Key[]): Promise<(Record<string, unknown> | undefined)[]> {
    if (keys.length > maxBatchGetKeys) throw new RangeError(`a batch read takes at most ${maxBatchGetKeys} keys, not ${keys.length}`);
    const found = new Map<string, Record<string, unknown>>();
    let pending: Item[] = [...new Map(keys.map((key) => [keyString(key), marshallItem({ pk: key.pk, sk: key.sk })])).values()];
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
      const answer = await this.client.send(
        new BatchGetItemCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of answer.Responses?.[this.name] ?? []) {
        const record = unmarshallItem(item);
        found.set(keyString(record as unknown as Key), record);
      }
      pending = answer.UnprocessedKeys?.[this.name]?.Keys ?? [];
    }
    return keys.map((key) => found.get(keyString(key)));
  }

  /** Throws ConditionalCheckFailedException when `condition` fails; stores translate it into ConflictError. */
  async put(item: StoredMap & Key, condition?: Condition): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.name, Item: marshallItem(item), ...expressionParts(condition) }));
  }

  /** Returns the item as it is after the update. */
  async update(key: Key, update: Update, condition?: Condition): Promise<Record<string, unknown>> {
    const { Attributes: attributes } = await this.client.send(updateCommand(this.name, key, update, condition, 'ALL_NEW'));
    return unmarshallItem(attributes ?? {});
  }

  /**
   * The same update, answered with nothing: for writers that do not use the item afterwards. A target's record carries
   * its rendered objects and the run's usage item grows with its targets, so reading them back cost every finished
   * target a large answer to parse.
   */
  async updateOnly(key: Key, update: Update, condition?: Condition): Promise<void> {
    await this.client.send(updateCommand(this.name, key, update, condition, 'NONE'));
  }

  async delete(key: Key, condition?: Condition): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.name, Key: marshallItem({ ...key }), ...expressionParts(condition) }));
  }

  /**
   * Unconditional puts, 25 to a BatchWriteItem (one request instead of 25); what DynamoDB leaves unprocessed is sent
   * again with backoff. Only for items nobody else can be writing (see DynamoTargetStore.register).
   */
  async putAll(items: readonly (StoredMap & Key)[]): Promise<void> {
    for (let start = 0; start < items.length; start += maxBatchWriteItems) {
      let pending = items.slice(start, start + maxBatchWriteItems).map((item) => ({ PutRequest: { Item: marshallItem(item) } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > maxUnprocessedRetries) throw new Error(`DynamoDB left ${pending.length} items unwritten after ${maxUnprocessedRetries} retries`);
        if (attempt > 0) await sleep(unprocessedRetryMs * 2 ** (attempt - 1));
        const { UnprocessedItems: unprocessed } = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.name]: pending } }));
        pending = (unprocessed?.[this.name] ?? []).flatMap((request) => (request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : []));
      }
    }
  }

  /** All matching items (follows pagination, one request per page) unless `limit` is given. */
  async query(options: QueryOptions): Promise<Record<string, unknown>[]> {
    const partitionName = options.byGroup ? keyAttributes.groupPartition : keyAttributes.partition;
    const sortName = options.byGroup ? keyAttributes.groupSort : keyAttributes.sort;
    const names: Record<string, string> = { '#p': partitionName };
    // Every projected name goes through a placeholder: `namespace`, `message` and others are reserved words.
    options.attributes?.forEach((attribute, index) => (names[`#a${index}`] = attribute));
    const projection = options.attributes ? { ProjectionExpression: options.attributes.map((_, index) => `#a${index}`).join(', ') } : {};
    const values: Record<string, StoredValue> = { ':p': options.partition };
    let expression = '#p = :p';
    if (options.sortPrefix !== undefined) {
      names['#s'] = sortName;
      values[':s'] = options.sortPrefix;
      expression += ' AND begins_with(#s, :s)';
    }
    const records: Record<string, unknown>[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.name,
          ...(options.byGroup ? { IndexName: groupIndexName } : { ConsistentRead: true }),
          KeyConditionExpression: expression,
          ...projection,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshallItem(values),
          ScanIndexForward: !options.descending,
          ...pageLimit(options.limit === undefined ? undefined : options.limit - records.length, this.#pageSize),
          ExclusiveStartKey: startKey,
        }),
      );
      records.push(...(page.Items ?? []).map(unmarshallItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey && (options.limit === undefined || records.length < options.limit));
    return records;
  }
}

function pageLimit(remaining: number | undefined, pageSize: number | undefined): { Limit?: number } {
  const limit = remaining === undefined ? pageSize : pageSize === undefined ? remaining : Math.min(remaining, pageSize);
  return limit === undefined ? {} : { Limit: limit };
}

/** DynamoDB's limit on the keys of one BatchGetItem. */
export const maxBatchGetKeys = 100;

function keyString(key: Key): string {
  return `${key.pk}\u0000${key.sk}`;
}

function expressionParts(condition: Condition | undefined) {
  return condition ? { ConditionExpression: condition.expression, ...placeholderParts(condition) } : {};
}

function placeholderParts(condition: Condition) {
  const names = condition.names ?? {};
  const values = condition.values ?? {};
  return {
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: marshallItem(values) } : {}),
  };
}

/** Builds `SET #u0 = :u0 ... ADD ... REMOVE ... DELETE ...`; the placeholders ride along as a Condition-shaped bag. */
export function buildUpdate(update: Update): { expression: string; placeholders: Condition } {
  const names: Record<string, string> = {};
  const values: Record<string, StoredValue> = {};
  let counter = 0;
  const alias = (attribute: string, value?: StoredValue) => {
    const id = counter++;
    names[`#u${id}`] = attribute;
    if (value !== undefined) values[`:u${id}`] = value;
    return id;
  };
  const clauses: string[] = [];
  const setParts = Object.entries(update.set ?? {})
    .filter((entry): entry is [string, StoredValue] => entry[1] !== undefined)
    .map(([attribute, value]) => {
      const id = alias(attribute, value);
      return `#u${id} = :u${id}`;
    });
  if (setParts.length > 0) clauses.push(`SET ${setParts.join(', ')}`);
  const addParts = Object.entries(update.add ?? {}).map(([attribute, value]) => {
    const id = alias(attribute, value);
    return `#u${id} :u${id}`;
  });
  if (addParts.length > 0) clauses.push(`ADD ${addParts.join(', ')}`);
  const removeParts = (update.remove ?? []).map((attribute) => `#u${alias(attribute)}`);
  if (removeParts.length > 0) clauses.push(`REMOVE ${removeParts.join(', ')}`);
  const deleteParts = Object.entries(update.delete ?? {}).map(([attribute, value]) => {
    const id = alias(attribute, value);
    return `#u${id} :u${id}`;
  });
  if (deleteParts.length > 0) clauses.push(`DELETE ${deleteParts.join(', ')}`);
  if (clauses.length === 0) throw new TypeError('an update needs at least one clause');
  return { expression: clauses.join(' '), placeholders: { expression: '', names, values } };
}

/**
 * Creates the table with the schema the CDK stack declares (on-demand billing, pk/sk, one GSI gsi1pk/gsi1sk projecting
 * all attributes) and waits until it is ACTIVE. An existing table is left as it is.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partition, sort, groupPartition, groupSort } = keyAttributes;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partition, sort, groupPartition, groupSort].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: partition, KeyType: 'HASH' },
          { AttributeName: sort, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: groupIndexName,
            KeySchema: [
              { AttributeName: groupPartition, KeyType: 'HASH' },
              { AttributeName: groupSort, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  for (let attempt = 0; attempt < 600; attempt++) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await sleep(100);
  }
  throw new Error(`table ${tableName} did not become ACTIVE within 60 s`);
}
