import type { RequestCounts } from '../../core/run/request-counts.ts';
import { requestCountKey } from './keys.ts';
import type { Table } from './table.ts';
import { type RequestCountStore } from '../../engine/ports/store.ts';

export class DynamoRequestCountStore implements RequestCountStore {
  readonly #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async add(runId: string, counts: RequestCounts): Promise<void> {
    await this.#table.update(requestCountKey(runId), { add: { dynamodb: counts.dynamodb, sqs: counts.sqs } });
  }

  async get(runId: string): Promise<RequestCounts> {
    const item = await this.#table.get(requestCountKey(runId));
    return { dynamodb: Number(item?.dynamodb ?? 0), sqs: Number(item?.sqs ?? 0) };
  }
}
