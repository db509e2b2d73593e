import * as z from 'zod';
import { SealedSecret } from '../../core/secret/sealed-secret.ts';
import { EventRule, TriggerSource } from '../../core/trigger/trigger-rule.ts';
import { triggerKey, triggerPartition } from './keys.ts';
import { RecordTable } from './record-table.ts';
import { type VersionedWrites } from '../../engine/ports/store.ts';
import type { Table } from './table.ts';
import { TriggerRecord } from '../../core/trigger/trigger-record.ts';
import { type TriggerStore } from '../../engine/ports/store.ts';

export class DynamoTriggerStore extends RecordTable<TriggerRecord> implements TriggerStore {
  constructor(table: Table) {
    super(table, {
      entity: 'trigger',
      schema: TriggerRecord,
      jsonFields: ['events', 'secret'],
      key: (record) => triggerKey(record.id),
      label: (record) => record.id,
    });
  }

  get(id: string) {
    return this.read(triggerKey(id));
  }

  list() {
    return this.readAll({ partition: triggerPartition, sortPrefix: 'TRIGGER#' });
  }
}
