import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { PlannerMessage } from '../../engine/messages/planner-message.ts';
import { maxDelaySeconds, type ApplyOrRemove, type Unordered, type WorkQueues } from '../../engine/ports/work-queues.ts';

export const QueueUrls = z.object({
  planner: z.url(),
  /** FIFO: one message group per member cluster. */
  applier: z.url().refine((url) => url.endsWith('.fifo'), 'the applier queue must be a FIFO queue (.fifo)'),
  /** Standard queue with per-message delays, for health re-checks and cluster probes. */
  health: z.url(),
});
export type QueueUrls = z.infer<typeof QueueUrls>;

/** SQS's limits for one SendMessageBatch call. */
const maxBatchEntries = 10;
const maxBatchBytes = 256 * 1024;

export class SqsWorkQueues implements WorkQueues {
  readonly #sqs: SQSClient;
  readonly #urls: QueueUrls;

  constructor(sqs: SQSClient, urls: QueueUrls) {
    this.#sqs = sqs;
    this.#urls = urls;
  }

  async toPlanner(messages: PlannerMessage[], delaySeconds = 0): Promise<void> {
    const delay = clampDelay(delaySeconds);
    await this.#send(this.#urls.planner, messages.map((m) => ({ MessageBody: JSON.stringify(m), DelaySeconds: delay })));
  }

  async toApplier(messages: ApplyOrRemove[]): Promise<void> {
    await this.#send(
      this.#urls.applier,
      messages.map((m) => {
        const body = JSON.stringify(m);
        // Identical orders within SQS's five-minute window are one order: a redelivered planner message sends nothing twice.
        return { MessageBody: body, MessageGroupId: m.cluster, MessageDeduplicationId: createHash('sha256').update(body).digest('hex') };
      }),
    );
  }

  async unordered(message: Unordered, delaySeconds: number): Promise<void> {
    await this.#send(this.#urls.health, [{ MessageBody: JSON.stringify(message), DelaySeconds: clampDelay(delaySeconds) }]);
  }

  async unorderedBatch(messages: Unordered[]): Promise<void> {
    await this.#send(this.#urls.health, messages.map((m) => ({ MessageBody: JSON.stringify(m) })));
  }

  /** Batches of at most ten entries and 256 KiB; a failed entry fails the call, so the caller's retry covers it. */
  async #send(queueUrl: string, entries: Omit<SendMessageBatchRequestEntry, 'Id'>[]): Promise<void> {
    for (const batch of batches(entries)) {
      const result = await this.#sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((entry, i) => ({ ...entry, Id: String(i) })) }),
      );
      const failed = result.Failed ?? [];
      if (failed.length > 0) {
        throw new Error(`SQS refused ${failed.length} of ${batch.length} messages: ${failed.map((f) => `${f.Code} ${f.Message ?? ''}`.trim()).join('; ')}`);
      }
    }
  }
}

function clampDelay(seconds: number): number {
  return Math.max(0, Math.min(maxDelaySeconds, Math.ceil(seconds)));
}

function* batches<T extends { MessageBody?: string }>(entries: T[]): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody ?? '');
    if (size > maxBatchBytes) throw new Error(`a ${size}-byte message exceeds SQS's 256 KiB limit; store the payload and reference it`);
    if (batch.length === maxBatchEntries || bytes + size > maxBatchBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
