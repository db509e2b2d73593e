import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { countRequests } from '../aws/request-counter.ts';
import { RetryLater } from '../../engine/retry.ts';
import type { RequestCountStore } from '../../engine/ports/store.ts';
import { errorMessage } from '../../core/errors/error-message.ts';
import { log } from '../telemetry/log.ts';

export interface SqsWorkerOptions<M> {
  name: string;
  schema: z.ZodType<M>;
  work(message: M, record: SQSRecord): Promise<string>;
  /** Messages that belong to a workflow run have the AWS requests their work caused added to that run's count. */
  countFor?: { runIdOf(message: M): string | undefined; counts: RequestCountStore };
  sqs: SQSClient;
  /** Configured queue URLs; a record's queue is found by the name at the end of its ARN. */
  queueUrls: readonly string[];
}

/**
 * An SQS batch handler with partial batch responses. Message groups run side by side (one cluster's orders never wait
 * for another's), records within a group one after another; once a record of a FIFO group fails, the group's later
 * records fail too without running, so a cluster's orders keep their order (the rule Powertools' FIFO processor
 * applies). Standard-queue records have no group and all run side by side. RetryLater sets the record's visibility to
 * its delay first, which is how a failed message gets backoff instead of the queue's fixed visibility timeout.
 */
export function sqsWorker<M>(options: SqsWorkerOptions<M>): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const groups = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      const group = record.attributes.MessageGroupId ?? `record:${record.messageId}`;
      groups.set(group, [...(groups.get(group) ?? []), record]);
    }
    const failed = await Promise.all([...groups.values()].map((records) => runGroup(options, records)));
    return { batchItemFailures: failed.flat().map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** Runs one group's records in order; returns the ids of those that failed or were held back behind a failure. */
async function runGroup<M>(options: SqsWorkerOptions<M>, records: SQSRecord[]): Promise<string[]> {
  for (const [index, record] of records.entries()) {
    try {
      const parsed = options.schema.safeParse(JSON.parse(record.body));
      if (!parsed.success) throw new Error(`malformed ${options.name} message: ${parsed.error.message}`);
      const summary = await counted(options, parsed.data, record);
      log('info', summary, { fn: options.name, messageId: record.messageId });
    } catch (err) {
      if (err instanceof RetryLater) {
        log('warn', `retry in ${err.delaySeconds}s: ${err.message}`, { fn: options.name, messageId: record.messageId });
        await delayRedelivery(options, record, err.delaySeconds);
      } else {
        log('error', errorMessage(err), { fn: options.name, messageId: record.messageId });
      }
      return records.slice(index).map((r) => r.messageId);
    }
  }
  return [];
}

function counted<M>(options: SqsWorkerOptions<M>, message: M, record: SQSRecord): Promise<string> {
  const runId = options.countFor?.runIdOf(message);
  if (runId === undefined || !options.countFor) return options.work(message, record);
  const { counts } = options.countFor;
  return countRequests(() => options.work(message, record), (tally) => counts.add(runId, tally));
}

async function delayRedelivery<M>(options: SqsWorkerOptions<M>, record: SQSRecord, seconds: number): Promise<void> {
  const name = record.eventSourceARN.split(':').at(-1);
  const queueUrl = options.queueUrls.find((url) => url.split('/').at(-1) === name);
  if (!queueUrl) return;
  await options.sqs
    .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: Math.ceil(seconds) }))
    .catch((err: unknown) => log('warn', `could not delay redelivery: ${errorMessage(err)}`, { fn: options.name }));
}
