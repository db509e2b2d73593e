import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { applicationRunsGroup, runKey } from './keys.ts';
import { RecordTable } from './record-table.ts';
import { type VersionedWrites } from '../../engine/ports/store.ts';
import type { Table } from './table.ts';
import { RunRecord } from '../../core/run/run.ts';
import { type RunStore } from '../../engine/ports/store.ts';

export class DynamoRunStore extends RecordTable<RunRecord> implements RunStore {
  constructor(table: Table) {
    super(table, {
      entity: 'workflow run',
      schema: RunRecord,
      jsonFields: ['steps'],
      key: (record) => runKey(record.runId),
      group: (record) => ({ gsi1pk: applicationRunsGroup(record.namespace, record.application), gsi1sk: `RUN#${record.runId}` }),
      label: (record) => record.runId,
    });
  }

  get(runId: string) {
    return this.read(runKey(runId));
  }

  listForApplication(namespace: string, name: string) {
    return this.readAll({ partition: applicationRunsGroup(namespace, name), byGroup: true, descending: true });
  }
}
