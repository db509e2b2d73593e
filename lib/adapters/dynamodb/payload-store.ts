import { gunzipSync, gzipSync } from 'node:zlib';
import { payloadKey } from './keys.ts';
import type { Table } from './table.ts';
import { type PayloadAddress, type PayloadStore } from '../../engine/ports/store.ts';

/** DynamoDB's item limit is 400 KB; base64 of the gzip must fit with the keys beside it. */
const maxStoredBytes = 380 * 1024;

export class DynamoPayloadStore implements PayloadStore {
  readonly #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async put(address: PayloadAddress, value: unknown): Promise<string> {
    const data = gzipSync(JSON.stringify(value)).toString('base64');
    if (data.length > maxStoredBytes) {
      throw new Error(
        `the objects for cluster ${address.cluster}, namespace ${address.namespace} are ${data.length} bytes compressed, over the ${maxStoredBytes}-byte limit`,
      );
    }
    const key = payloadKey(address.runId, address.stepId, address.cluster, address.namespace);
    await this.#table.put({ ...key, data });
    return JSON.stringify(key);
  }

  async get(reference: string): Promise<unknown> {
    const key = JSON.parse(reference) as { pk: string; sk: string };
    const item = await this.#table.get(key);
    if (typeof item?.data !== 'string') throw new Error(`stored payload ${key.sk} of ${key.pk} is missing`);
    return JSON.parse(gunzipSync(Buffer.from(item.data, 'base64')).toString('utf8'));
  }
}
