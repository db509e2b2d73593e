import { gunzipSync, gzipSync } from 'node:zlib';
import { QueryPart } from '../../core/query/cluster-query.ts';
import type { QueryStore } from '../../engine/ports/store.ts';
import { epochSeconds } from './delivery-store.ts';
import { queryPartition, queryPartKey } from './keys.ts';
import { itemPresent, type Table } from './table.ts';

/** DynamoDB's item limit is 400 KB; the gzip's base64 must fit with the keys beside it. */
const maxStoredBytes = 380 * 1024;

/** Each part is one item, its JSON gzip-compressed (a live diff carries up to 500 objects). */
export class DynamoQueryStore implements QueryStore {
  readonly #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async create(parts: readonly QueryPart[], expiresAt: Date): Promise<void> {
    for (const part of parts) await this.#table.put({ ...queryPartKey(part.queryId, part.index), data: encode(part), ttl: epochSeconds(expiresAt) });
  }

  async list(queryId: string, now: Date): Promise<QueryPart[]> {
    const items = await this.#table.query({ partition: queryPartition(queryId), sortPrefix: 'PART#' });
    return items.filter((item) => !expired(item, now)).map(decode);
  }

  async get(queryId: string, index: number, now: Date): Promise<QueryPart | undefined> {
    const item = await this.#table.get(queryPartKey(queryId, index));
    return item === undefined || expired(item, now) ? undefined : decode(item);
  }

  async answer(part: QueryPart): Promise<void> {
    const key = queryPartKey(part.queryId, part.index);
    const item = await this.#table.get(key);
    if (item === undefined) return;
    // Present: an answer never brings back a part that expired and was deleted.
    await this.#table.put({ ...key, data: encode(part), ttl: Number(item.ttl) }, itemPresent);
  }
}

function encode(part: QueryPart): string {
  const data = gzipSync(JSON.stringify(QueryPart.parse(part))).toString('base64');
  if (data.length > maxStoredBytes) throw new Error(`query part ${part.queryId}/${part.index} is ${data.length} bytes compressed, over the ${maxStoredBytes}-byte limit`);
  return data;
}

function decode(item: Record<string, unknown>): QueryPart {
  if (typeof item.data !== 'string') throw new Error(`query part ${String(item.sk)} of ${String(item.pk)} has no data`);
  return QueryPart.parse(JSON.parse(gunzipSync(Buffer.from(item.data, 'base64')).toString('utf8')));
}

function expired(item: Record<string, unknown>, now: Date): boolean {
  return Number(item.ttl) < epochSeconds(now);
}
