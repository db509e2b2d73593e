import { ChangeMessageVisibilityCommand, DeleteMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { meterRequests } from '../aws/request-counter.ts';
import { RetryLater } from '../../engine/retry.ts';
import type { UsageStore } from '../../engine/ports/store.ts';
import { emptyUsage, type UsageTarget } from '../../core/cost/usage.ts';
import { invocationUsage, type Invocation, type MeteredRecord } from '../../core/cost/invocation-usage.ts';
import { errorMessage } from '../../core/errors/error-message.ts';
import type { LogFields, Telemetry } from '../../engine/ports/telemetry.ts';
import { withRecordBudget } from './record-budget.ts';

export interface SqsWorkerOptions<M> {
  name: string;
  schema: z.ZodType<M>;
  /** Where each record's outcome is logged. */
  telemetry: Telemetry;
  /** What a record's log lines say about its message (runId, step, cluster...); never its payload. */
  logFields?(message: M): LogFields;
  work(message: M, record: SQSRecord): Promise<string>;
  /**
   * Messages that belong to a workflow run have what their work cost (AWS requests, their share of the invocation's
   * GB-seconds) added to that run's usage, and to their target's when they name one: one write per run per batch.
   */
  meterFor?: { usageOf(message: M): { runId: string; target?: UsageTarget | undefined } | undefined; usage: UsageStore };
  sqs: SQSClient;
  /** Configured queue URLs; a record's queue is found by the name at the end of its ARN. */
  queueUrls: readonly string[];
  /**
   * How long one record's work may run before its member-cluster requests are aborted (they fail as retryable, so the
   * record is retried later). Below the function's timeout, so a stalled cluster costs its own record only.
   */
  recordBudgetMs?: number;
}

/**
 * An SQS batch handler with partial batch responses. Message groups run side by side (one cluster's orders never wait
 * for another's), records within a group one after another; once a record of a FIFO group fails, the group's later
 * records fail too without running, so a cluster's orders keep their order (the rule Powertools' FIFO processor
 * applies). Standard-queue records have no group and all run side by side. RetryLater sets the record's visibility to
 * its delay first, which is how a failed message gets backoff instead of the queue's fixed visibility timeout.
 *
 * A record whose work succeeds while others of its batch still run is deleted at once: a FIFO group's next message is
 * not delivered while one of the group is in flight, so waiting for the batch would hold every cluster in it behind the
 * slowest. It is not reported as failed, so the event source mapping deletes it again at the end (a no-op on SQS).
 */
export function sqsWorker<M>(options: SqsWorkerOptions<M>): (event: SQSEvent, context?: Pick<Context, 'memoryLimitInMB'>) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    const started = performance.now();
    const groups = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      const group = record.attributes.MessageGroupId ?? `record:${record.messageId}`;
      groups.set(group, [...(groups.get(group) ?? []), record]);
    }
    const releases: Promise<void>[] = [];
    const metered: MeteredRecord[] = [];
    // A lone record ends with its batch: nothing to release early, no extra request.
    const release = event.Records.length > 1 ? (record: SQSRecord) => void releases.push(deleteNow(options, record)) : () => {};
    const failed = await Promise.all([...groups.values()].map((records) => runGroup(options, records, release, metered)));
    await Promise.all(releases);
    const fifo = event.Records[0]?.eventSourceARN.endsWith('.fifo') === true;
    await recordUsage(options, metered, { durationMs: performance.now() - started, memoryMb: Number(context?.memoryLimitInMB ?? 0) || 0, fifo });
    return { batchItemFailures: failed.flat().map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** One write per run of the batch; a failed write loses only the figures (they are an estimate), never the work. */
async function recordUsage<M>(options: SqsWorkerOptions<M>, metered: MeteredRecord[], invocation: Invocation): Promise<void> {
  const store = options.meterFor?.usage;
  if (!store || metered.every((record) => record.runId === undefined)) return;
  const runs = invocationUsage(metered, invocation);
  await Promise.all(
    [...runs].map(([runId, usage]) =>
      store.add(runId, usage).catch((err: unknown) => options.telemetry.log('warn', `could not record the usage of run ${runId}: ${errorMessage(err)}`)),
    ),
  );
}

/** Runs one group's records in order; returns the ids of those that failed or were held back behind a failure. */
async function runGroup<M>(options: SqsWorkerOptions<M>, records: SQSRecord[], release: (record: SQSRecord) => void, metered: MeteredRecord[]): Promise<string[]> {
  for (const [index, record] of records.entries()) {
    let telemetry = options.telemetry.with({ messageId: record.messageId });
    try {
      const parsed = options.schema.safeParse(JSON.parse(record.body));
      if (!parsed.success) throw new Error(`malformed ${options.name} message: ${parsed.error.message}`);
      telemetry = telemetry.with(options.logFields?.(parsed.data) ?? {});
      const summary = await measured(options, parsed.data, record, metered);
      telemetry.log('info', summary);
      release(record);
    } catch (err) {
      if (err instanceof RetryLater) {
        telemetry.log('warn', `retry in ${err.delaySeconds}s: ${err.message}`);
        await delayRedelivery(options, record, err.delaySeconds);
      } else {
        telemetry.log('error', errorMessage(err));
      }
      return records.slice(index).map((r) => r.messageId);
    }
  }
  return [];
}

/** Runs the record's work with its AWS requests counted and its time taken, whether it succeeds or not. */
async function measured<M>(options: SqsWorkerOptions<M>, message: M, record: SQSRecord, metered: MeteredRecord[]): Promise<string> {
  const work = () => budgeted(options.recordBudgetMs, () => options.work(message, record));
  const owner = options.meterFor?.usageOf(message);
  const requests = emptyUsage();
  const started = performance.now();
  try {
    return await meterRequests(requests, work);
  } finally {
    metered.push({ runId: owner?.runId, target: owner?.target, requests, workMs: performance.now() - started });
  }
}

async function budgeted<T>(budgetMs: number | undefined, work: () => Promise<T>): Promise<T> {
  if (budgetMs === undefined) return work();
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(new DOMException(`record budget of ${budgetMs} ms spent`, 'TimeoutError')), budgetMs);
  try {
    return await withRecordBudget(budget.signal, work);
  } finally {
    clearTimeout(timer);
  }
}

function queueUrlOf<M>(options: SqsWorkerOptions<M>, record: SQSRecord): string | undefined {
  const name = record.eventSourceARN.split(':').at(-1);
  return options.queueUrls.find((url) => url.split('/').at(-1) === name);
}

/** A failed early delete only costs the early release: the record still counts as done and is deleted at batch end. */
async function deleteNow<M>(options: SqsWorkerOptions<M>, record: SQSRecord): Promise<void> {
  const queueUrl = queueUrlOf(options, record);
  if (!queueUrl) return;
  await options.sqs
    .send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle }))
    .catch((err: unknown) => options.telemetry.log('warn', `could not release the record early: ${errorMessage(err)}`, { messageId: record.messageId }));
}

async function delayRedelivery<M>(options: SqsWorkerOptions<M>, record: SQSRecord, seconds: number): Promise<void> {
  const queueUrl = queueUrlOf(options, record);
  if (!queueUrl) return;
  await options.sqs
    .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: Math.ceil(seconds) }))
    .catch((err: unknown) => options.telemetry.log('warn', `could not delay redelivery: ${errorMessage(err)}`, { messageId: record.messageId }));
}
