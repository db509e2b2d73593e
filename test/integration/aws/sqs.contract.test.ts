// SQS behaviour the dispatcher and appliers rely on, pinned on both emulations. Visibility timeouts are 1 s to keep
// the waits short.
import { DeleteMessageBatchCommand, DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, test } from 'vitest';
import { backends, createQueue, receive, receiveCount, useAwsBackend } from './backends.ts';

describe.each(backends)('SQS contract on %s', (backend) => {
  const aws = useAwsBackend(backend);

  test('a FIFO message not deleted comes back after its visibility timeout with ApproximateReceiveCount 2', async () => {
    const { sqs } = aws();
    const queue = await createQueue(sqs, 'apply', { fifo: true, attributes: { VisibilityTimeout: '1' } });
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: '{"cluster":"beijing-1"}',
        MessageGroupId: 'beijing-1',
        MessageDeduplicationId: 'apply-1',
      }),
    );

    const [first] = await receive(sqs, queue.url, { waitSeconds: 1 });
    expect(first?.MessageId).toBe(sent.MessageId);
    expect(receiveCount(first)).toBe(1);
    // In flight: neither it nor (being FIFO) anything else of its group is handed out.
    expect(await receive(sqs, queue.url, { waitSeconds: 0 })).toEqual([]);

    const [second] = await receive(sqs, queue.url, { waitSeconds: 5 });
    expect(second?.MessageId).toBe(sent.MessageId);
    expect(second?.Body).toBe('{"cluster":"beijing-1"}');
    expect(receiveCount(second)).toBe(2);
  });

  test('a FIFO message received maxReceiveCount times without being deleted lands in its FIFO DLQ', async () => {
    const { sqs } = aws();
    const deadLetters = await createQueue(sqs, 'apply-dlq', { fifo: true });
    const queue = await createQueue(sqs, 'apply', {
      fifo: true,
      attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: 2 }),
      },
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: 'poison',
        MessageGroupId: 'us-west-1',
        MessageDeduplicationId: 'poison-1',
      }),
    );

    // Two failed attempts (received, never deleted); the next receive finds it over the limit and moves it.
    for (const attempt of [1, 2]) {
      const [message] = await receive(sqs, queue.url, { waitSeconds: 5 });
      expect(receiveCount(message)).toBe(attempt);
    }
    expect(await receive(sqs, queue.url, { waitSeconds: 2 })).toEqual([]);

    const [dead] = await receive(sqs, deadLetters.url, { waitSeconds: 2 });
    expect(dead?.Body).toBe('poison');
  });

  test('DelaySeconds keeps a message invisible until the delay has passed', async () => {
    const { sqs } = aws();
    // Per-message delays exist on standard queues only (FIFO queues reject them, as on AWS).
    const queue = await createQueue(sqs, 'delayed');
    const sentAt = Date.now();
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'retry later', DelaySeconds: 2 }));

    expect(await receive(sqs, queue.url, { waitSeconds: 0 })).toEqual([]);
    const [message] = await receive(sqs, queue.url, { waitSeconds: 5 });
    expect(message?.Body).toBe('retry later');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_500);
  });

  test('deleting a FIFO message releases its group at once, and a second delete of its receipt handle is harmless', async () => {
    // The worker deletes a finished record before its batch returns; the event source mapping deletes it again after.
    const { sqs } = aws();
    const queue = await createQueue(sqs, 'release', { fifo: true, attributes: { VisibilityTimeout: '30' } });
    const send = (body: string, group: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: body }));
    await send('fast-1', 'fast');
    await send('fast-2', 'fast');
    await send('slow-1', 'slow');

    const batch = await receive(sqs, queue.url, { waitSeconds: 1, max: 1 });
    const [fast1] = batch;
    expect(fast1?.Body).toBe('fast-1');
    const [slow1] = await receive(sqs, queue.url, { waitSeconds: 1 });
    expect(slow1?.Body).toBe('slow-1');
    // fast-1 in flight holds fast-2 back.
    expect(await receive(sqs, queue.url, { waitSeconds: 0 })).toEqual([]);

    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: fast1?.ReceiptHandle }));
    const [fast2] = await receive(sqs, queue.url, { waitSeconds: 1 });
    expect(fast2?.Body).toBe('fast-2');

    // Deleted twice more, as the event source mapping does at batch end: no error is thrown.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: fast1?.ReceiptHandle }));
    const again = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: [{ Id: '0', ReceiptHandle: fast1?.ReceiptHandle }] }),
    );
    // As on AWS, deleting an already deleted message with its receipt handle succeeds.
    expect(again.Failed ?? []).toEqual([]);
    expect(again.Successful).toHaveLength(1);
    // The others in flight are untouched: slow-1 and fast-2 are still held.
    expect(await receive(sqs, queue.url, { waitSeconds: 0 })).toEqual([]);
  });
});
