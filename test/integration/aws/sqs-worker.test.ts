// The SQS worker under the local event source mapping, on both emulations: a record whose work finished is deleted
// before its batch returns, so its FIFO group's next message is delivered while a slow record of the batch still runs.
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, test } from 'vitest';
import * as z from 'zod';
import { sqsWorker } from '../../../lib/adapters/sqs/sqs-worker.ts';
import { createPowertoolsTelemetry } from '../../../lib/adapters/telemetry/powertools-telemetry.ts';

const { telemetry } = createPowertoolsTelemetry({ functionName: 'test' });
import { startEventSource } from '../../../local/event-source.ts';
import { backends, createQueue, receive, useAwsBackend } from './backends.ts';

describe.each(backends)('SQS worker on %s', (backend) => {
  const aws = useAwsBackend(backend);

  test("a finished record is released at once: its cluster's next order runs while a stalled one holds the batch", async () => {
    const { sqs } = aws();
    const queue = await createQueue(sqs, 'applier', { fifo: true, attributes: { VisibilityTimeout: '30' } });
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
    expect(done.sort()).toEqual(['fast-1', 'fast-2', 'slow-1']);
    // Nothing comes back: the early deletes and the event source's deletes at batch end did not clash.
    expect(errors).toEqual([]);
    expect(await receive(sqs, queue.url, { waitSeconds: 0, max: 10 })).toEqual([]);
  });
});
