import * as z from 'zod';
import { deliveryKey, replayKey } from './keys.ts';
import { isConditionFailure, type Condition, type Table } from './table.ts';

/** What a delivery id looks like: GitHub's GUIDs, GitLab's UUIDs, EventBridge event ids, generic senders' own ids. */
export const deliveryIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export const DeliveryRecord = z.object({
  triggerId: z.string().min(1),
  deliveryId: z.string().regex(deliveryIdPattern),
  /** `processing` while the revision is being made; a claim that crashed expires after a short hold. */
  state: z.enum(['processing', 'done']),
  /** For `done`: whether the delivery made a revision or found the image already deployed. */
  outcome: z.enum(['deployed', 'unchanged']).optional(),
  revision: z.string().optional(),
  revisionNumber: z.int().positive().optional(),
  image: z.string().optional(),
  receivedAt: z.iso.datetime(),
  /** Epoch seconds: DynamoDB's TTL removes the item some time after; until then reads treat it as gone. */
  ttl: z.int().positive(),
});
export type DeliveryRecord = z.infer<typeof DeliveryRecord>;

export type Claim = { claimed: true } | { claimed: false; existing: DeliveryRecord };

/**
 * Deliveries a trigger accepted, so that each delivery id is processed once, and the signatures of timestamped
 * requests seen inside their replay window, so that a captured request cannot be played again. Both are claimed with
 * one conditional put (no transactions) and expire through the table's TTL attribute; as DynamoDB deletes expired
 * items only eventually (and emulators never), an item past its `ttl` counts as absent and may be claimed again.
 */
export interface DeliveryStore {
  /** Claims the delivery for processing, held for `holdSeconds`; or the record of whoever claimed it first. */
  claim(triggerId: string, deliveryId: string, now: Date, holdSeconds: number): Promise<Claim>;
  /** Records how a claimed delivery went, kept for `keepSeconds` so redeliveries find it. */
  complete(record: Omit<DeliveryRecord, 'state' | 'ttl'> & { outcome: 'deployed' | 'unchanged' }, now: Date, keepSeconds: number): Promise<void>;
  /** Gives a claim up after a failure, so the sender's retry is processed. */
  release(triggerId: string, deliveryId: string): Promise<void>;
  get(triggerId: string, deliveryId: string, now: Date): Promise<DeliveryRecord | undefined>;
  /** Records a request signature until `expiresAt`; false when it was already recorded (a replay). */
  rememberSignature(scheme: string, signature: string, now: Date, expiresAt: Date): Promise<boolean>;
}

function absentOrExpired(now: Date): Condition {
  return {
    expression: 'attribute_not_exists(#pk) OR #ttl < :now',
    names: { '#pk': 'pk', '#ttl': 'ttl' },
    values: { ':now': epochSeconds(now) },
  };
}

export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export class DynamoDeliveryStore implements DeliveryStore {
  readonly #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async claim(triggerId: string, deliveryId: string, now: Date, holdSeconds: number): Promise<Claim> {
    const record: DeliveryRecord = {
      triggerId,
      deliveryId,
      state: 'processing',
      receivedAt: now.toISOString(),
      ttl: epochSeconds(now) + holdSeconds,
    };
    // Twice at most: the first claimant may release between our failed put and our read.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.#table.put({ ...DeliveryRecord.parse(record), ...deliveryKey(triggerId, deliveryId) }, absentOrExpired(now));
        return { claimed: true };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
      const existing = await this.get(triggerId, deliveryId, now);
      if (existing !== undefined) return { claimed: false, existing };
    }
    throw new Error(`delivery ${deliveryId} of trigger ${triggerId} is claimed and released in turn; try again`);
  }

  async complete(
    result: Omit<DeliveryRecord, 'state' | 'ttl'> & { outcome: 'deployed' | 'unchanged' },
    now: Date,
    keepSeconds: number,
  ): Promise<void> {
    const record = DeliveryRecord.parse({ ...result, state: 'done', ttl: epochSeconds(now) + keepSeconds });
    await this.#table.put({ ...record, ...deliveryKey(record.triggerId, record.deliveryId) });
  }

  async release(triggerId: string, deliveryId: string): Promise<void> {
    const processing: Condition = { expression: '#state = :processing', names: { '#state': 'state' }, values: { ':processing': 'processing' } };
    try {
      await this.#table.delete(deliveryKey(triggerId, deliveryId), processing);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async get(triggerId: string, deliveryId: string, now: Date): Promise<DeliveryRecord | undefined> {
    const item = await this.#table.get(deliveryKey(triggerId, deliveryId));
    if (item === undefined) return undefined;
    const record = DeliveryRecord.parse(item);
    return record.ttl < epochSeconds(now) ? undefined : record;
  }

  async rememberSignature(scheme: string, signature: string, now: Date, expiresAt: Date): Promise<boolean> {
    try {
      await this.#table.put({ ...replayKey(scheme, signature), scheme, ttl: epochSeconds(expiresAt) }, absentOrExpired(now));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
