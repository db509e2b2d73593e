import { NotificationTargetRecord } from '../../core/notify/notification-target.ts';
import type { NotificationTargetStore } from '../../engine/ports/store.ts';
import { notificationTargetKey } from './keys.ts';
import { RecordTable } from './record-table.ts';
import type { Table } from './table.ts';

export class DynamoNotificationTargetStore extends RecordTable<NotificationTargetRecord> implements NotificationTargetStore {
  constructor(table: Table) {
    super(table, {
      entity: 'notification target',
      schema: NotificationTargetRecord,
      jsonFields: ['url', 'secret', 'lastDelivery'],
      key: (record) => notificationTargetKey(record.namespace, record.application),
      label: (record) => `${record.namespace}/${record.application}`,
    });
  }

  get(namespace: string, application: string) {
    return this.read(notificationTargetKey(namespace, application));
  }
}
