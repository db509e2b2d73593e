import * as z from 'zod';
import { tokenKey, tokenPartition } from './keys.ts';
import { RecordTable } from './record-table.ts';
import { type VersionedWrites } from '../../engine/ports/store.ts';
import type { Table } from './table.ts';
import { TokenRecord } from '../../core/token/token-record.ts';
import { type TokenStore } from '../../engine/ports/store.ts';

export class DynamoTokenStore extends RecordTable<TokenRecord> implements TokenStore {
  constructor(table: Table) {
    super(table, {
      entity: 'token',
      schema: TokenRecord,
      jsonFields: ['namespaces'],
      key: (record) => tokenKey(record.id),
      label: (record) => record.id,
    });
  }

  get(id: string) {
    return this.read(tokenKey(id));
  }

  list() {
    return this.readAll({ partition: tokenPartition, sortPrefix: 'TOKEN#' });
  }
}
