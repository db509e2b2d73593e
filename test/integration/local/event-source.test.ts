// The local SQS event source mapping behaves like Lambda's: partial batch failures, whole-batch failures, redrive to
// the DLQ and a graceful stop, against both AWS emulations.
import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { startEventSource, type SqsHandler } from '../../../local/event-source.ts';
import { backends, createQueue, receive, useAwsBackend } from '../aws/backends.ts';

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

async function sendBodies(sqs: SQSClient, url: string, bodies: string[], fifo = false): Promise<void> {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: bodies.map((body, i) => ({
        Id: String(i),
        MessageBody: body,
        ...(fifo ? { MessageGroupId: 'g', MessageDeduplicationId: body } : {}),
      })),
    }),
  );
}

describe.each(backends)('local SQS event source on %s', (backend) => {
  const aws = useAwsBackend(backend);

  test('deletes a successful batch and re-delivers only the records listed in batchItemFailures', async () => {
    const { sqs } = aws();
    const queue = await createQueue(sqs, 'esm-partial', { attributes: { VisibilityTimeout: '1' } });
    const deliveries: { body: string; count: string }[] = [];
    const handler: SqsHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      for (const r of event.Records) deliveries.push({ body: r.body, count: r.attributes.ApproximateReceiveCount });
      const failing = event.Records.filter((r) => r.body === 'b' && r.attributes.ApproximateReceiveCount === '1');
      return { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.messageId })) };
    };
    await sendBodies(sqs, queue.url, ['a', 'b', 'c']);
    const source = startEventSource({ sqs, queueUrl: queue.url, handler, functionName: 'test', batchSize: 10 });
    try {
      await until(() => (deliveries.some((d) => d.body === 'b' && d.count === '2') ? true : undefined));
    } finally {
      await source.stop();
    }
    expect(deliveries.filter((d) => d.body === 'a')).toHaveLength(1);
    expect(deliveries.filter((d) => d.body === 'c')).toHaveLength(1);
    expect(deliveries.filter((d) => d.body === 'b').map((d) => d.count)).toEqual(['1', '2']);
    expect(await receive(sqs, queue.url, { waitSeconds: 0, max: 10 })).toEqual([]);
  });

  test('a thrown error or an unknown itemIdentifier fails the whole batch', async () => {
    const { sqs } = aws();
    const queue = await createQueue(sqs, 'esm-whole', { attributes: { VisibilityTimeout: '1' } });
    const seen: string[] = [];
    const handler: SqsHandler = async (event) => {
      const first = event.Records[0]!;
      seen.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      if (first.attributes.ApproximateReceiveCount === '1') throw new Error('boom');
      if (first.attributes.ApproximateReceiveCount === '2') return { batchItemFailures: [{ itemIdentifier: 'not-a-message' }] };
      return { batchItemFailures: [] };
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }));
    const source = startEventSource({ sqs, queueUrl: queue.url, handler, functionName: 'test', onError: () => {} });
    try {
      await until(() => (seen.includes('x#3') ? true : undefined));
    } finally {
      await source.stop();
    }
    expect(seen).toEqual(['x#1', 'x#2', 'x#3']);
  });

  test('a record that keeps failing is redriven to the DLQ after maxReceiveCount receives (FIFO)', async () => {
    const { sqs } = aws();
    const dlq = await createQueue(sqs, 'esm-dlq', { fifo: true });
    const queue = await createQueue(sqs, 'esm-src', {
      fifo: true,
      attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) },
    });
    let attempts = 0;
    const handler: SqsHandler = async (event) => {
      attempts += event.Records.length;
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    };
    await sendBodies(sqs, queue.url, ['poison'], true);
    const source = startEventSource({ sqs, queueUrl: queue.url, handler, functionName: 'test' });
    let dead: Awaited<ReturnType<typeof receive>> = [];
    try {
      const deadline = Date.now() + 20_000;
      while (dead.length === 0 && Date.now() < deadline) dead = await receive(sqs, dlq.url, { waitSeconds: 1 });
    } finally {
      await source.stop();
    }
    expect(dead.map((m) => m.Body)).toEqual(['poison']);
    expect(attempts).toBe(2);
  });

  test('stop() waits for the batch in flight to finish and delete', async () => {
    const { sqs } = aws();
    const queue = await createQueue(sqs, 'esm-stop', { attributes: { VisibilityTimeout: '30' } });
    let started = false;
    let finished = false;
    const handler: SqsHandler = async () => {
      started = true;
      await sleep(700);
      finished = true;
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'slow' }));
    const source = startEventSource({ sqs, queueUrl: queue.url, handler, functionName: 'test' });
    await until(() => (started ? true : undefined));
    await source.stop();
    expect(finished).toBe(true);
    // Deleted, not merely hidden: with a 30 s visibility timeout a leftover would still be in flight, so look at the count.
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  });
});
