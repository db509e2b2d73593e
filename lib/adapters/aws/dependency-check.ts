// What /healthz and the local runtime's watch ask of the store and the queues: one cheap read each (a GetItem of a key
// that never exists, GetQueueAttributes), all at once and cut off after a deadline, so a hung backend costs a bounded
// wait and not a stuck probe.
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { errorMessage } from '../../core/errors/error-message.ts';
import { describeFault, infrastructureFault, type InfrastructureFault } from './infrastructure-fault.ts';

export interface DependencyTargets {
  tableName: string;
  queues: Record<string, string>;
}

export interface DependencyCheck {
  /** `store`, or `queues.<name>`. */
  part: string;
  ok: boolean;
  /** Why not, for people (no endpoint or AWS wording); absent when ok. */
  problem?: string;
  /** The classified fault, when it was one; an unclassified failure counts as down too. */
  fault?: InfrastructureFault;
  /** The raw error text, for the log only. */
  detail?: string;
}

export const dependencyCheckTimeoutMs = 3_000;

export async function checkDependencies(
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
  targets: DependencyTargets,
  timeoutMs = dependencyCheckTimeoutMs,
): Promise<DependencyCheck[]> {
  const signal = AbortSignal.timeout(timeoutMs);
  // Abort bounds the retries too; the per-call timeout keeps one hung attempt from using the whole deadline.
  const options = { abortSignal: signal, requestTimeout: timeoutMs };
  const store = check('store', () =>
    clients.dynamodb.send(
      new GetItemCommand({ TableName: targets.tableName, Key: { pk: { S: 'healthz' }, sk: { S: 'healthz' } }, ProjectionExpression: 'pk' }),
      options,
    ),
  );
  const queues = Object.entries(targets.queues).map(([name, url]) =>
    check(`queues.${name}`, () => clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }), options)),
  );
  return Promise.all([store, ...queues]);
}

async function check(part: string, call: () => Promise<unknown>): Promise<DependencyCheck> {
  try {
    await call();
    return { part, ok: true };
  } catch (err) {
    const fault = infrastructureFault(err) ?? (isAbort(err) ? ({ service: undefined, kind: 'timeout' } as const) : undefined);
    const problem = fault === undefined ? 'failed unexpectedly' : describeFault(fault);
    return { part, ok: false, problem, detail: errorMessage(err), ...(fault === undefined ? {} : { fault }) };
  }
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

/**
 * The same answer for `ttlMs` and one check in flight at a time: /healthz needs no token, so without this every probe
 * (or a flood of them) would cost one read per dependency.
 */
export function sharedFor<T>(ttlMs: number, run: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (last === undefined || now() - last.at >= ttlMs) {
      const value = run();
      last = { at: now(), value };
      // A rejected check is not kept: the next caller asks again.
      value.catch(() => (last = undefined));
    }
    return last.value;
  };
}
