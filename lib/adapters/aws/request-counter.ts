import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestCounts } from '../../core/run/request-counts.ts';

type CountingClient = DynamoDBClient | SQSClient;
type Next = (args: unknown) => Promise<unknown>;

const scope = new AsyncLocalStorage<RequestCounts>();
const counted = new WeakSet<object>();

/**
 * Counts every HTTP attempt a client makes (retries included) into the innermost `countRequests` scope, so a run can
 * say how many DynamoDB and SQS requests it caused. Requests outside a scope are not counted.
 */
export function countRequestsOf(client: CountingClient, service: keyof RequestCounts): void {
  if (counted.has(client)) return;
  counted.add(client);
  const middleware = (next: Next) => async (args: unknown) => {
    const counts = scope.getStore();
    if (counts) counts[service]++;
    return next(args);
  };
  // The two clients' stacks have different input types; the middleware only counts and passes everything through.
  (client.middlewareStack as { add(m: typeof middleware, o: object): void }).add(
    middleware,
    // After the retry middleware, so each attempt is one request.
    { step: 'finalizeRequest', priority: 'low', name: `flotillaRequestCounter-${service}` },
  );
}

/**
 * Runs `fn` with a fresh count, then hands the count to `record` whether `fn` succeeded or not. The recording write is
 * made outside the scope and added by hand, so a run's figure includes the cost of keeping it.
 */
export async function countRequests<T>(fn: () => Promise<T>, record: (counts: RequestCounts) => Promise<void>): Promise<T> {
  const counts: RequestCounts = { dynamodb: 0, sqs: 0 };
  try {
    return await scope.run(counts, fn);
  } finally {
    if (counts.dynamodb + counts.sqs > 0) {
      counts.dynamodb++;
      await record(counts).catch(() => {});
    }
  }
}
