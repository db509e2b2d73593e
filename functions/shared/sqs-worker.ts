import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { RetryLater } from '../../lib/dispatch/retry-later.ts';
import { errorText, log } from './log.ts';

export interface SqsWorkerOptions<M> {
  name: string;
  schema: z.ZodType<M>;
  work(message: M, record: SQSRecord): Promise<string>;
  sqs: SQSClient;
  /** Configured queue URLs; a record's queue is found by the name at the end of its ARN. */
  queueUrls: readonly string[];
}

/**
 * An SQS batch handler with partial batch responses. Records run one after another; on a FIFO queue, once a record of
 * a message group fails, the group's later records fail too without running, so a cluster's orders keep their order
 * (the rule Powertools' FIFO processor applies). RetryLater sets the record's visibility to its delay first, which is
 * how a failed message gets backoff instead of the queue's fixed visibility timeout.
 */
export function sqsWorker<M>(options: SqsWorkerOptions<M>): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const failures: string[] = [];
    const failedGroups = new Set<string>();
    for (const record of event.Records) {
      const group = record.attributes.MessageGroupId;
      if (group !== undefined && failedGroups.has(group)) {
        failures.push(record.messageId);
        continue;
      }
      try {
        const parsed = options.schema.safeParse(JSON.parse(record.body));
        if (!parsed.success) throw new Error(`malformed ${options.name} message: ${parsed.error.message}`);
        const summary = await options.work(parsed.data, record);
        log('info', summary, { fn: options.name, messageId: record.messageId });
      } catch (err) {
        failures.push(record.messageId);
        if (group !== undefined) failedGroups.add(group);
        if (err instanceof RetryLater) {
          log('warn', `retry in ${err.delaySeconds}s: ${err.message}`, { fn: options.name, messageId: record.messageId });
          await delayRedelivery(options, record, err.delaySeconds);
        } else {
          log('error', errorText(err), { fn: options.name, messageId: record.messageId });
        }
      }
    }
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

async function delayRedelivery<M>(options: SqsWorkerOptions<M>, record: SQSRecord, seconds: number): Promise<void> {
  const name = record.eventSourceARN.split(':').at(-1);
  const queueUrl = options.queueUrls.find((url) => url.split('/').at(-1) === name);
  if (!queueUrl) return;
  await options.sqs
    .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: Math.ceil(seconds) }))
    .catch((err: unknown) => log('warn', `could not delay redelivery: ${errorText(err)}`, { fn: options.name }));
}
