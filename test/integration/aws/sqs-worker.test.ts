// The SQS worker under the local event source mapping, on both emulations: a FIFO group whose work finished is deleted
// before its batch returns, so its next message is delivered while a slow record of the batch still runs; the deletes
// of groups finishing together share one request, and a happy batch costs no delete beyond the event source's own.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, test } from 'vitest';
import * as z from 'zod';
import { sqsWorker } from '../../../lib/adapters/sqs/sqs-worker.ts';
import { SqsWorkQueues } from '../../../lib/adapters/sqs/sqs-work-queues.ts';
import { ApplierMessage } from '../../../lib/engine/messages/applier-message.ts';
import { createPowertoolsTelemetry } from '../../../lib/adapters/telemetry/powertools-telemetry.ts';

const { telemetry } = createPowertoolsTelemetry({ functionName: 'test' });
import { startEventSource } from '../../../local/event-source.ts';
import { backends, createQueue, receive, useAwsBackend } from './backends.ts';

/** Counts the client's requests to one queue by command, and the records its receives returned. */
function countRequestsTo(sqs: SQSClient, queueUrl: string) {
  const counts = { byCommand: new Map<string, number>(), received: 0, nonEmptyReceives: 0 };
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { QueueUrl?: string };
      if (input.QueueUrl !== queueUrl) return next(args);
      const name = context.commandName ?? '?';
      counts.byCommand.set(name, (counts.byCommand.get(name) ?? 0) + 1);
      const result = await next(args);
      const messages = (result.output as { Messages?: unknown[] }).Messages?.length ?? 0;
      counts.received += messages;
      if (messages > 0) counts.nonEmptyReceives++;
      return result;
    },
    { step: 'finalizeRequest', priority: 'low', name: `countRequestsTo-${queueUrl}` },
  );
  return { counts, of: (command: string) => counts.byCommand.get(command) ?? 0 };
}

describe.each(backends)('SQS worker on %s', (backend) => {
  const aws = useAwsBackend(backend);

  test('orders whose groups all succeed cost a tenth of a send, a receive and a delete each: 0.3 requests per order', async () => {
    const { sqs } = aws();
    const queue = await createQueue(sqs, 'applier-happy', { fifo: true, attributes: { VisibilityTimeout: '30' } });
    const { counts, of } = countRequestsTo(sqs, queue.url);
    const orders = 100;
    // A step's fan-out as the planner sends it: one apply order per cluster, through the queues adapter.
    const queues = new SqsWorkQueues(sqs, { planner: 'https://sqs.invalid/planner', applier: queue.url, health: 'https://sqs.invalid/health' });
    const deadline = new Date(Date.now() + 600_000).toISOString();
    await queues.toApplier(
      Array.from({ length: orders }, (_, i) => ({
        kind: 'apply' as const,
        runId: 'run-1',
        stepId: 'deploy1',
        cluster: `cluster-${i}`,
        namespace: 'default',
        createNamespace: false,
        deadline,
        payload: { where: 'inline' as const, resources: [], components: [] },
      })),
    );
    const done = new Set<string>();
    let allDone!: () => void;
    const finished = new Promise<void>((resolve) => (allDone = resolve));
    const handler = sqsWorker({
      name: 'applier',
      telemetry,
      schema: ApplierMessage,
      sqs,
      queueUrls: [queue.url],
      work: async (message) => {
        if (message.kind === 'apply') done.add(message.cluster);
        if (done.size === orders) allDone();
        return 'applied';
      },
    });
    const errors: unknown[] = [];
    const source = startEventSource({ sqs, queueUrl: queue.url, handler, functionName: 'applier', concurrency: 1, onError: (err) => errors.push(err) });
    try {
      await finished;
    } finally {
      await source.stop();
    }
    expect(errors).toEqual([]);
    expect(counts.received).toBe(orders);
    // No delete per order; no early release when the groups finish together: one DeleteMessageBatch per batch.
    expect(of('DeleteMessageCommand')).toBe(0);
    expect(of('DeleteMessageBatchCommand')).toBe(counts.nonEmptyReceives);
    // Receives counted here although no run's usage counts them (the event source mapping makes them).
    const perOrder = (of('SendMessageBatchCommand') + counts.nonEmptyReceives + of('DeleteMessageBatchCommand')) / orders;
    expect(perOrder).toBeLessThanOrEqual(0.3);
    expect(await receive(sqs, queue.url, { waitSeconds: 0, max: 10 })).toEqual([]);
  });

  test("a finished record is released at once: its cluster's next order runs while a stalled one holds the batch", async () => {
    const { sqs } = aws();
    const queue = await createQueue(sqs, 'applier', { fifo: true, attributes: { VisibilityTimeout: '30' } });
    const { counts, of } = countRequestsTo(sqs, queue.url);
    const send = (step: string, group: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify({ step }), MessageGroupId: group, MessageDeduplicationId: step }));

    let unstall!: () => void;
    const stalled = new Promise<void>((resolve) => (unstall = resolve));
    const done: string[] = [];
    const started = new Map<string, () => void>();
    const didStart = (step: string) => new Promise<void>((resolve) => started.set(step, resolve));
    const fast1 = didStart('fast-1');
    const fast2 = didStart('fast-2');
    const errors: unknown[] = [];
    const handler = sqsWorker({
      name: 'applier',
      telemetry,
      schema: z.object({ step: z.string() }),
      sqs,
      queueUrls: [queue.url],
      work: async ({ step }) => {
        started.get(step)?.();
        if (step === 'slow-1') await stalled;
        done.push(step);
        return step;
      },
    });
    await send('slow-1', 'stalled-cluster');
    await send('fast-1', 'healthy-cluster');
    for (const other of ['a', 'b', 'c']) await send(`other-${other}`, `other-cluster-${other}`);
    const source = startEventSource({ sqs, queueUrl: queue.url, handler, functionName: 'applier', concurrency: 2, onError: (err) => errors.push(err) });
    try {
      await fast1;
      // Sent after the first batch was received, so it can only come in a later batch: without the early release
      // fast-1 stays in flight until slow-1 returns, and FIFO holds fast-2 back.
      await send('fast-2', 'healthy-cluster');
      const released = await Promise.race([fast2.then(() => 'fast-2 ran'), new Promise((resolve) => setTimeout(resolve, 10_000, 'fast-2 held back'))]);
      expect(released).toBe('fast-2 ran');
      expect(done).not.toContain('slow-1');
    } finally {
      unstall();
      await source.stop();
    }
    expect(done.sort()).toEqual(['fast-1', 'fast-2', 'other-a', 'other-b', 'other-c', 'slow-1']);
    // Nothing comes back: the early deletes and the event source's deletes at batch end did not clash.
    expect(errors).toEqual([]);
    // Never one delete per record. The groups that finished beside the stalled one went in one early DeleteMessageBatch
    // (if one receive brought them all), each batch then had the event source's own.
    expect(of('DeleteMessageCommand')).toBe(0);
    expect(of('DeleteMessageBatchCommand')).toBeLessThanOrEqual(2 * counts.nonEmptyReceives);
    expect(await receive(sqs, queue.url, { waitSeconds: 0, max: 10 })).toEqual([]);
  });
});
