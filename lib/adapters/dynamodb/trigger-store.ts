import * as z from 'zod';
import { SealedSecret } from '../../core/secret/sealed-secret.ts';
import { EventRule, TriggerSource } from '../../core/trigger/trigger-rule.ts';
import { triggerKey, triggerPartition } from './keys.ts';
import { RecordTable, type VersionedWrites } from './record-table.ts';
import type { Table } from './table.ts';

export const triggerIdPattern = /^[0-9a-f]{20}$/;

export const TriggerRecord = z.object({
  /** Also the last segment of the webhook URL, `/hooks/<source>/<id>`: the secret is found before the body is read. */
  id: z.string().regex(triggerIdPattern),
  namespace: z.string().min(1),
  application: z.string().min(1),
  /** The component whose `image` property a matching event sets. */
  component: z.string().min(1),
  source: TriggerSource,
  /** The image template for rules without one of their own. */
  image: z.string().optional(),
  events: z.array(EventRule).min(1),
  /** The webhook secret (GitHub, GitLab, generic), sealed; EventBridge triggers have none. Never shown. */
  secret: SealedSecret.optional(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  version: z.int().positive(),
});
export type TriggerRecord = z.infer<typeof TriggerRecord>;

export interface TriggerStore extends VersionedWrites<TriggerRecord> {
  get(id: string): Promise<TriggerRecord | undefined>;
  /** Every trigger of every application: a single-partition, strongly consistent Query. */
  list(): Promise<TriggerRecord[]>;
  remove(record: TriggerRecord, expectedVersion: number): Promise<void>;
}

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
