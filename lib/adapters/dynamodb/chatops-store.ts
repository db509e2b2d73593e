import * as z from 'zod';
import { SealedSecret } from '../../core/secret/sealed-secret.ts';
import { chatIntegrationKey } from './keys.ts';
import { RecordTable } from './record-table.ts';
import { type VersionedWrites } from '../../engine/ports/store.ts';
import type { Table } from './table.ts';
import { ChatIntegrationRecord } from '../../core/chatops/chat-integration-record.ts';
import { type ChatIntegrationStore } from '../../engine/ports/store.ts';

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
