import { requestCountKey } from './keys.ts';
import type { Table } from './table.ts';

export interface RequestCounts {
  dynamodb: number;
  sqs: number;
}

/** The AWS requests each run caused, kept beside the run and only ever incremented. */
export interface RequestCountStore {
  add(runId: string, counts: RequestCounts): Promise<void>;
  get(runId: string): Promise<RequestCounts>;
}

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
