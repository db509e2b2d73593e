import * as z from 'zod';
import { deliveryKey, replayKey } from './keys.ts';
import { isConditionFailure, type Condition, type Table } from './table.ts';
import { type DeliveryStore } from '../../engine/ports/store.ts';
import { DeliveryRecord, type Claim } from '../../core/trigger/delivery-record.ts';

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
