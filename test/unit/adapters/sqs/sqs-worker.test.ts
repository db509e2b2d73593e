import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { sqsWorker } from '../../../../lib/adapters/sqs/sqs-worker.ts';
import { createPowertoolsTelemetry } from '../../../../lib/adapters/telemetry/powertools-telemetry.ts';

const { telemetry } = createPowertoolsTelemetry({ functionName: 'test' });
import { recordBudgetSignal } from '../../../../lib/adapters/sqs/record-budget.ts';
import { backoffSeconds } from '../../../../lib/engine/retry.ts';

function record(id: string, body: unknown, group?: string): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
      ...(group ? { MessageGroupId: group } : {}),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q.fifo',
    awsRegion: 'us-east-1',
  };
}

const Message = z.object({ step: z.string(), fail: z.boolean().optional(), delayMs: z.number().optional() });

function worker(log: string[]) {
  return sqsWorker({
    name: 'test',
    telemetry,
    schema: Message,
    sqs: new SQSClient({ region: 'us-east-1' }),
    queueUrls: [],
    work: async (message) => {
      log.push(`start ${message.step}`);
      if (message.delayMs) await sleep(message.delayMs);
      if (message.fail) throw new Error(`${message.step} failed`);
      log.push(`end ${message.step}`);
      return message.step;
    },
  });
}

describe('sqsWorker', () => {
  it('keeps order inside a FIFO group and fails the rest of a group after its first failure', async () => {
    const log: string[] = [];
    const event: SQSEvent = {
      Records: [
        record('1', { step: 'a1' }, 'a'),
        record('2', { step: 'a2', fail: true }, 'a'),
        record('3', { step: 'a3' }, 'a'),
        record('4', { step: 'b1' }, 'b'),
      ],
    };
    const response = await worker(log)(event);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['2', '3']);
    expect(log).not.toContain('start a3');
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log).toContain('end b1');
  });

  it('runs different groups side by side: a slow cluster does not hold up another', async () => {
    const log: string[] = [];
    const event: SQSEvent = { Records: [record('1', { step: 'slow', delayMs: 200 }, 'a'), record('2', { step: 'fast' }, 'b')] };
    await worker(log)(event);
    expect(log.indexOf('end fast')).toBeLessThan(log.indexOf('end slow'));
  });

  it('reports a malformed message as failed (it reaches the DLQ after its retries) and processes the others', async () => {
    const log: string[] = [];
    const response = await worker(log)({ Records: [record('1', { nope: true }), record('2', { step: 'ok' })] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
    expect(log).toEqual(['start ok', 'end ok']);
  });
});

describe('sqsWorker early release', () => {
  /** Records each DeleteMessageBatch as its receipt handles, marking those sent after the slow record's work ended. */
  function deletes() {
    const calls: string[][] = [];
    const state = { slowEnded: false };
    const sqs = {
      send: async (command: { input: { Entries?: { ReceiptHandle?: string }[] } }) => {
        calls.push((command.input.Entries ?? []).map((e) => `${e.ReceiptHandle}${state.slowEnded ? ' (after slow)' : ''}`).sort());
        return {};
      },
    } as unknown as SQSClient;
    return { calls, state, sqs };
  }
  const fifoUrl = 'https://sqs.us-east-1.amazonaws.com/000000000000/q.fifo';

  it('releases the groups that finished while a slow one runs in one DeleteMessageBatch, never a group with a failure', async () => {
    const { calls, state, sqs } = deletes();
    const handler = sqsWorker({
      name: 'test',
      telemetry,
      schema: Message,
      sqs,
      queueUrls: [fifoUrl],
      releaseWindowMs: 50,
      work: async (message) => {
        if (message.delayMs) await sleep(message.delayMs);
        if (message.fail) throw new Error(`${message.step} failed`);
        if (message.step === 'slow') state.slowEnded = true;
        return message.step;
      },
    });
    const response = await handler({
      Records: [
        record('1', { step: 'slow', delayMs: 400 }, 'stalled'),
        record('2', { step: 'b1' }, 'b'),
        record('3', { step: 'b2', fail: true }, 'b'),
        record('4', { step: 'b3' }, 'b'),
        record('5', { step: 'c1' }, 'c'),
        record('6', { step: 'd1', delayMs: 20 }, 'd'),
        record('7', { step: 'd2' }, 'd'),
      ],
    });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['3', '4']);
    // c and d finished within the window of each other while the slow group still ran: one request for both. Group b
    // keeps its failed record in flight (nothing to unblock); the slow group ends the batch, whose own delete takes it.
    expect(calls).toEqual([['rh-5', 'rh-6', 'rh-7']]);
  });

  it('sends no extra request when the groups finish together, nor for a standard queue or a batch of one', async () => {
    const { calls, sqs } = deletes();
    const handler = sqsWorker({ name: 'test', telemetry, schema: Message, sqs, queueUrls: [fifoUrl], work: async (m) => m.step });
    expect(await handler({ Records: [record('1', { step: 'only' }, 'a')] })).toEqual({ batchItemFailures: [] });
    const ten = Array.from({ length: 10 }, (_, i) => record(String(i), { step: `s${i}` }, `g${i}`));
    expect(await handler({ Records: ten })).toEqual({ batchItemFailures: [] });
    const standard = ten.map((r) => ({ ...r, eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:health', attributes: { ...r.attributes, MessageGroupId: undefined } }));
    const slowStandard = [{ ...standard[0]!, body: JSON.stringify({ step: 'slow', delayMs: 300 }) }, ...standard.slice(1)];
    expect(await handler({ Records: slowStandard })).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([]);
  });

  it('releases ten finished records at once, without waiting for the window', async () => {
    const { calls, state, sqs } = deletes();
    const handler = sqsWorker({
      name: 'test',
      telemetry,
      schema: Message,
      sqs,
      queueUrls: [fifoUrl],
      releaseWindowMs: 60_000,
      work: async (message) => {
        if (message.delayMs) await sleep(message.delayMs);
        if (message.step === 'slow') state.slowEnded = true;
        return message.step;
      },
    });
    const records = [record('slow', { step: 'slow', delayMs: 300 }, 'stalled'), ...Array.from({ length: 10 }, (_, i) => record(String(i), { step: `s${i}` }, `g${i}`))];
    await handler({ Records: records });
    // Sent before the slow record ended (the 60 s window never ran out: the batch would have ended first).
    expect(calls).toEqual([Array.from({ length: 10 }, (_, i) => `rh-${i}`).sort()]);
  });
});

describe('sqsWorker record budget', () => {
  it("aborts the record's budget signal once the budget is spent, and only that record's", async () => {
    const seen = new Map<string, AbortSignal | undefined>();
    const handler = sqsWorker({
      name: 'test',
      telemetry,
      schema: Message,
      sqs: new SQSClient({ region: 'us-east-1' }),
      queueUrls: [],
      recordBudgetMs: 100,
      work: async (message) => {
        const signal = recordBudgetSignal();
        seen.set(message.step, signal);
        if (message.delayMs) await sleep(message.delayMs);
        if (signal?.aborted) throw new Error(`${message.step}: ${String(signal.reason)}`);
        return message.step;
      },
    });
    const response = await handler({ Records: [record('1', { step: 'stalled', delayMs: 300 }, 'a'), record('2', { step: 'quick' }, 'b')] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
    expect(seen.get('stalled')?.aborted).toBe(true);
    expect(seen.get('quick')?.aborted).toBe(false);
    expect(seen.get('stalled')).not.toBe(seen.get('quick'));
  });
});

describe('backoffSeconds', () => {
  it('doubles from one second and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffSeconds(n, 30))).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });
});
