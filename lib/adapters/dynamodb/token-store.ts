import { tokenKey, tokenPartition } from './keys.ts';
import { RecordTable } from './record-table.ts';
import { allOf, isConditionFailure, itemPresent, type Table } from './table.ts';
import { TokenRecord } from '../../core/token/token-record.ts';
import { type TokenStore } from '../../engine/ports/store.ts';

export class DynamoTokenStore extends RecordTable<TokenRecord> implements TokenStore {
  readonly #table: Table;

  constructor(table: Table) {
    super(table, {
      entity: 'token',
      schema: TokenRecord,
      jsonFields: ['namespaces', 'clusters'],
      key: (record) => tokenKey(record.id),
      label: (record) => record.id,
    });
    this.#table = table;
  }

  get(id: string) {
    return this.read(tokenKey(id));
  }

  list() {
    return this.readAll({ partition: tokenPartition, sortPrefix: 'TOKEN#' });
  }

  /** One conditional UpdateItem; ISO-8601 UTC instants compare as strings. */
  async recordUse(id: string, at: string, ifBefore: string): Promise<boolean> {
    const stale = {
      expression: 'attribute_not_exists(#lastUsedAt) OR #lastUsedAt < :staleBefore',
      names: { '#lastUsedAt': 'lastUsedAt' },
      values: { ':staleBefore': ifBefore },
    };
    try {
      await this.#table.updateOnly(tokenKey(id), { set: { lastUsedAt: at } }, allOf(itemPresent, stale));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
