import { ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { meterRequests } from '../aws/request-counter.ts';
import { RetryLater } from '../../engine/retry.ts';
import type { UsageStore } from '../../engine/ports/store.ts';
import { emptyUsage, type Usage, type UsageTarget } from '../../core/cost/usage.ts';
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
  /**
   * How long a FIFO group whose records all succeeded waits before its early release, so that the groups of the batch
   * finishing meanwhile are released by the same DeleteMessageBatch (default 200 ms).
   */
  releaseWindowMs?: number;
}

export const defaultReleaseWindowMs = 200;
/** SQS's limit for one DeleteMessageBatch call. */
const maxDeleteEntries = 10;

/**
 * An SQS batch handler with partial batch responses. Message groups run side by side (one cluster's orders never wait
 * for another's), records within a group one after another; once a record of a FIFO group fails, the group's later
 * records fail too without running, so a cluster's orders keep their order (the rule Powertools' FIFO processor
 * applies). Standard-queue records have no group and all run side by side. RetryLater sets the record's visibility to
 * its delay first, which is how a failed message gets backoff instead of the queue's fixed visibility timeout.
 *
 * A FIFO group whose records all succeeded while other groups of the batch still run is released early: SQS delivers a
 * group's next message only once none of the group is in flight, so waiting for the batch would hold every cluster in
 * it behind the slowest. Groups finishing within `releaseWindowMs` of each other share one DeleteMessageBatch, and
 * groups still pending when the batch ends are left to the event source mapping's own delete at the end (released
 * records are not reported as failed, so it deletes them again: a no-op on SQS). A group with a failure keeps a record
 * in flight anyway, and standard-queue records hold nothing back, so neither is released early.
 */
export function sqsWorker<M>(options: SqsWorkerOptions<M>): (event: SQSEvent, context?: Pick<Context, 'memoryLimitInMB'>) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    const started = performance.now();
    const groups = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      const group = record.attributes.MessageGroupId ?? `record:${record.messageId}`;
      groups.set(group, [...(groups.get(group) ?? []), record]);
    }
    const metered: MeteredRecord[] = [];
    const fifo = event.Records[0]?.eventSourceARN.endsWith('.fifo') === true;
    // The worker's own requests (early releases, redelivery delays) are part of what the batch cost.
    const own = emptyUsage();
    const release = new EarlyRelease(options, fifo ? groups.size : 0, own);
    const failed = await Promise.all(
      [...groups.values()].map(async (records) => {
        const failures = await runGroup(options, records, metered, own);
        release.groupEnded(records, failures.length === 0);
        return failures;
      }),
    );
    await release.close();
    await recordUsage(options, metered, {
      durationMs: performance.now() - started,
      memoryMb: Number(context?.memoryLimitInMB ?? 0) || 0,
      fifo,
      workerSqsRequests: own.sqsRequests,
    });
    return { batchItemFailures: failed.flat().map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** The early release of one batch's finished FIFO groups, their deletes gathered into DeleteMessageBatch calls. */
class EarlyRelease<M> {
  readonly #options: SqsWorkerOptions<M>;
  readonly #usage: Usage;
  /** FIFO groups of the batch still running; 0 for a standard queue, whose records are never released early. */
  #running: number;
  #pending: SQSRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #deletes: Promise<void>[] = [];

  constructor(options: SqsWorkerOptions<M>, fifoGroups: number, usage: Usage) {
    this.#options = options;
    this.#running = fifoGroups;
    this.#usage = usage;
  }

  groupEnded(records: SQSRecord[], succeeded: boolean): void {
    if (this.#running === 0) return;
    this.#running--;
    if (succeeded) this.#pending.push(...records);
    // The last group ends the batch: what is pending goes with the event source mapping's delete, at no extra request.
    if (this.#running === 0 || this.#pending.length === 0) return;
    if (this.#pending.length >= maxDeleteEntries) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#options.releaseWindowMs ?? defaultReleaseWindowMs);
  }

  /** At batch end: what is still pending goes with the event source mapping's delete; sent deletes are awaited. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#pending = [];
    await Promise.all(this.#deletes);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running === 0) return;
    const records = this.#pending.splice(0);
    for (let start = 0; start < records.length; start += maxDeleteEntries) {
      this.#deletes.push(meterRequests(this.#usage, () => deleteBatch(this.#options, records.slice(start, start + maxDeleteEntries))));
    }
  }
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
async function runGroup<M>(options: SqsWorkerOptions<M>, records: SQSRecord[], metered: MeteredRecord[], own: Usage): Promise<string[]> {
  for (const [index, record] of records.entries()) {
    let telemetry = options.telemetry.with({ messageId: record.messageId });
    try {
      const parsed = options.schema.safeParse(JSON.parse(record.body));
      if (!parsed.success) throw new Error(`malformed ${options.name} message: ${parsed.error.message}`);
      telemetry = telemetry.with(options.logFields?.(parsed.data) ?? {});
      const summary = await measured(options, parsed.data, record, metered);
      telemetry.log('info', summary);
    } catch (err) {
      if (err instanceof RetryLater) {
        telemetry.log('warn', `retry in ${err.delaySeconds}s: ${err.message}`);
        await meterRequests(own, () => delayRedelivery(options, record, err.delaySeconds));
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

/** A failed early delete only costs the early release: the records still count as done and are deleted at batch end. */
async function deleteBatch<M>(options: SqsWorkerOptions<M>, records: SQSRecord[]): Promise<void> {
  const queueUrl = records[0] && queueUrlOf(options, records[0]);
  if (!queueUrl) return;
  const warn = (message: string) => options.telemetry.log('warn', `could not release records early: ${message}`, { messageIds: records.map((r) => r.messageId).join(',') });
  try {
    const result = await options.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: records.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })) }),
    );
    const failed = result.Failed ?? [];
    if (failed.length > 0) warn(failed.map((f) => `${f.Code} ${f.Message ?? ''}`.trim()).join('; '));
  } catch (err) {
    warn(errorMessage(err));
  }
}

async function delayRedelivery<M>(options: SqsWorkerOptions<M>, record: SQSRecord, seconds: number): Promise<void> {
  const queueUrl = queueUrlOf(options, record);
  if (!queueUrl) return;
  await options.sqs
    .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: Math.ceil(seconds) }))
    .catch((err: unknown) => options.telemetry.log('warn', `could not delay redelivery: ${errorMessage(err)}`, { messageId: record.messageId }));
}
