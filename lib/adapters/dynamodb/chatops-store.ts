import * as z from 'zod';
import { SealedSecret } from '../../core/secret/sealed-secret.ts';
import { chatIntegrationKey } from './keys.ts';
import { RecordTable, type VersionedWrites } from './record-table.ts';
import type { Table } from './table.ts';

export const ChatIntegrationRecord = z.object({
  system: z.literal('slack'),
  /** Slack's signing secret, sealed; it verifies every slash command. Never shown. */
  signingSecret: SealedSecret,
  /** What chat users may read, as a viewer token limited to these namespaces would; empty means all. */
  namespaces: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});
export type ChatIntegrationRecord = z.infer<typeof ChatIntegrationRecord>;

/** The chat integrations, one record per chat system (Slack for now). */
export interface ChatIntegrationStore extends VersionedWrites<ChatIntegrationRecord> {
  get(system: 'slack'): Promise<ChatIntegrationRecord | undefined>;
  remove(record: ChatIntegrationRecord, expectedVersion: number): Promise<void>;
}

export class DynamoChatIntegrationStore extends RecordTable<ChatIntegrationRecord> implements ChatIntegrationStore {
  constructor(table: Table) {
    super(table, {
      entity: 'chat integration',
      schema: ChatIntegrationRecord,
      jsonFields: ['signingSecret', 'namespaces'],
      key: (record) => chatIntegrationKey(record.system),
      label: (record) => record.system,
    });
  }

  get(system: 'slack') {
    return this.read(chatIntegrationKey(system));
  }
}
