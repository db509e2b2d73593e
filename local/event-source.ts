// An SQS event source mapping for the local runtime, with Lambda's semantics: long-poll a batch, invoke the function
// with an SQS event, then delete what succeeded. With ReportBatchItemFailures, listed records stay on the queue and
// come back after the visibility timeout; an empty or unknown itemIdentifier, or a thrown error, fails the whole batch.
// Redrive to the DLQ is the queue's own RedrivePolicy (maxReceiveCount), as on AWS.
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { lambdaContext } from './lambda-context.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface EventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsHandler;
  functionName: string;
  batchSize?: number;
  /** Concurrent pollers, like Lambda's maximum concurrency for the mapping. */
  concurrency?: number;
  timeoutMs?: number;
  region?: string;
  onError?: (err: unknown) => void;
  /** A receive succeeded: lets the caller's fault log say the failures are over. */
  onReceive?: () => void;
}

const waitSeconds = 5;
/** The clients' request timeout is shorter than a long poll; a receive may take the wait plus this. */
const receiveSlackMs = 5_000;
/** Between failed receives: doubling from 1 s, so a dead backend is asked a few times a minute, not every second. */
const maxErrorPauseMs = 8_000;

export interface EventSource {
  /** Stops receiving and resolves once every batch already received has been processed. */
  stop(): Promise<void>;
}

export function startEventSource(opts: EventSourceOptions): EventSource {
  const abort = new AbortController();
  let queueArn: Promise<string> | undefined;
  const arn = () =>
    (queueArn ??= opts.sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: opts.queueUrl, AttributeNames: ['QueueArn'] }))
      .then((r) => r.Attributes?.QueueArn ?? opts.queueUrl));

  async function poll(): Promise<void> {
    let failures = 0;
    while (!abort.signal.aborted) {
      let messages: Message[];
      try {
        const received = await opts.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: opts.queueUrl,
            MaxNumberOfMessages: opts.batchSize ?? 10,
            WaitTimeSeconds: waitSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal, requestTimeout: waitSeconds * 1000 + receiveSlackMs },
        );
        messages = received.Messages ?? [];
        failures = 0;
        opts.onReceive?.();
      } catch (err) {
        if (abort.signal.aborted) return;
        opts.onError?.(err);
        failures++;
        await sleep(Math.min(1_000 * 2 ** (failures - 1), maxErrorPauseMs), undefined, { signal: abort.signal }).catch(() => {});
        continue;
      }
      // Once received, a batch is always processed to the end, even during shutdown: nothing accepted is lost.
      if (messages.length) await processBatch(messages);
    }
  }

  async function processBatch(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, { arn: '', region: opts.region ?? 'us-east-1' })) };
    const sourceArn = await arn().catch(() => opts.queueUrl);
    for (const record of event.Records) record.eventSourceARN = sourceArn;
    let failed: Set<string>;
    try {
      const response = await opts.handler(event, lambdaContext(opts.functionName, opts.timeoutMs ?? 60_000));
      failed = failedIds(response, event.Records);
    } catch (err) {
      opts.onError?.(err);
      return; // the whole batch becomes visible again after its visibility timeout
    }
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
    for (let i = 0; i < done.length; i += 10) {
      const chunk = done.slice(i, i + 10);
      await opts.sqs
        .send(
          new DeleteMessageBatchCommand({
            QueueUrl: opts.queueUrl,
            Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle })),
          }),
        )
        .catch((err: unknown) => opts.onError?.(err));
    }
  }

  const loops = Array.from({ length: opts.concurrency ?? 1 }, () => poll());
  return {
    stop: async () => {
      abort.abort();
      await Promise.all(loops);
    },
  };
}

/** Lambda's reading of a partial batch response; anything malformed fails every record. */
function failedIds(response: SQSBatchResponse | void, records: SQSRecord[]): Set<string> {
  const all = new Set(records.map((r) => r.messageId));
  if (!response || !Array.isArray(response.batchItemFailures)) return new Set();
  const ids = response.batchItemFailures.map((f) => f.itemIdentifier);
  if (ids.some((id) => !id || !all.has(id))) return all;
  return new Set(ids);
}

function toRecord(m: Message, source: { arn: string; region: string }): SQSRecord {
  const a = m.Attributes ?? {};
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
    SentTimestamp: a.SentTimestamp ?? String(Date.now()),
    SenderId: a.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  };
  if (a.MessageGroupId) attributes.MessageGroupId = a.MessageGroupId;
  if (a.MessageDeduplicationId) attributes.MessageDeduplicationId = a.MessageDeduplicationId;
  if (a.SequenceNumber) attributes.SequenceNumber = a.SequenceNumber;
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      stringValue: value.StringValue,
      binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
    };
  }
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes,
    messageAttributes,
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: source.arn,
    awsRegion: source.region,
  };
}
