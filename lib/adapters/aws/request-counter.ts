import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Usage } from '../../core/cost/usage.ts';

type CountingClient = DynamoDBClient | SQSClient;
interface MiddlewareArgs {
  input: Record<string, unknown>;
}
type Next = (args: MiddlewareArgs) => Promise<{ output?: unknown }>;
interface Context {
  commandName?: string;
}
interface Stack {
  add(middleware: (next: Next, context: Context) => Next, options: object): void;
}

const scope = new AsyncLocalStorage<Usage>();
const counted = new WeakSet<object>();

const dynamodbReads = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const dynamodbWrites = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/**
 * Counts every HTTP attempt a client makes (retries included) into the innermost `meterRequests` scope, so a run can
 * say what AWS requests it caused. DynamoDB requests in a scope ask for ReturnConsumedCapacity, so the request units
 * are what DynamoDB reports it charged (by item size, transactions double); a request whose answer names none counts
 * one unit. SQS requests to a `.fifo` queue are counted apart as well. Requests outside a scope are not counted.
 */
export function countRequestsOf(client: CountingClient, service: 'dynamodb' | 'sqs'): void {
  if (counted.has(client)) return;
  counted.add(client);
  // The two clients' stacks have different input types; the middleware only reads and passes everything through.
  const stack = client.middlewareStack as unknown as Stack;
  if (service === 'dynamodb') {
    stack.add(
      (next, context) => async (args) => {
        const name = context.commandName ?? '';
        if (scope.getStore() && (dynamodbReads.has(name) || dynamodbWrites.has(name)) && args.input.ReturnConsumedCapacity === undefined) {
          return next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'flotillaConsumedCapacity' },
    );
  }
  stack.add(
    (next, context) => async (args) => {
      const usage = scope.getStore();
      if (!usage) return next(args);
      if (service === 'sqs') {
        usage.sqsRequests++;
        if (typeof args.input.QueueUrl === 'string' && args.input.QueueUrl.endsWith('.fifo')) usage.sqsFifoRequests++;
        return next(args);
      }
      usage.dynamodbRequests++;
      const result = await next(args);
      addCapacity(usage, context.commandName ?? '', (result.output as { ConsumedCapacity?: unknown } | undefined)?.ConsumedCapacity);
      return result;
    },
    // After the retry middleware, so each attempt is one request.
    { step: 'finalizeRequest', priority: 'low', name: `flotillaRequestCounter-${service}` },
  );
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

function addCapacity(usage: Usage, command: string, consumed: unknown): void {
  const entries = (Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) as Capacity[];
  const isWrite = dynamodbWrites.has(command);
  if (entries.length === 0) {
    if (isWrite) usage.dynamodbWriteUnits++;
    else if (dynamodbReads.has(command)) usage.dynamodbReadUnits++;
    return;
  }
  for (const entry of entries) {
    if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
      usage.dynamodbReadUnits += entry.ReadCapacityUnits ?? 0;
      usage.dynamodbWriteUnits += entry.WriteCapacityUnits ?? 0;
    } else if (isWrite) usage.dynamodbWriteUnits += entry.CapacityUnits ?? 0;
    else usage.dynamodbReadUnits += entry.CapacityUnits ?? 0;
  }
}

/** Runs `fn` with its AWS requests counted into `usage`. */
export function meterRequests<T>(usage: Usage, fn: () => Promise<T>): Promise<T> {
  return scope.run(usage, fn);
}
