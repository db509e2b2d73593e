import * as z from 'zod';
import { tokenKey, tokenPartition } from './keys.ts';
import { RecordTable, type VersionedWrites } from './record-table.ts';
import type { Table } from './table.ts';

export const TokenRecord = z.object({
  /** Public handle for list and revoke: a prefix of the hash, never part of the token itself. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  /** SHA-256 of the whole bearer token, hex. The token itself is never stored. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  description: z.string(),
  role: z.enum(['admin', 'deployer', 'viewer']),
  /** Namespaces the token may act in; empty means all. */
  namespaces: z.array(z.string()),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
  version: z.int().positive(),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

export interface TokenStore extends VersionedWrites<TokenRecord> {
  get(id: string): Promise<TokenRecord | undefined>;
  list(): Promise<TokenRecord[]>;
}

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
