import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoApplicationStore } from './application-store.ts';
import { type ApplicationStore } from '../../engine/ports/store.ts';
import { DynamoChatIntegrationStore } from './chatops-store.ts';
import { type ChatIntegrationStore } from '../../engine/ports/store.ts';
import { DynamoClusterStore } from './cluster-store.ts';
import { type ClusterStore } from '../../engine/ports/store.ts';
import { DynamoDeliveryStore } from './delivery-store.ts';
import { type DeliveryStore } from '../../engine/ports/store.ts';
import { DynamoInventoryStore } from './inventory-store.ts';
import { type InventoryStore } from '../../engine/ports/store.ts';
import { DynamoPayloadStore } from './payload-store.ts';
import { type PayloadStore } from '../../engine/ports/store.ts';
import { DynamoUsageStore } from './usage-store.ts';
import { type UsageStore } from '../../engine/ports/store.ts';
import { DynamoRunStore } from './run-store.ts';
import { type RunStore } from '../../engine/ports/store.ts';
import { Table, type TableOptions } from './table.ts';
import { DynamoTargetStore } from './target-store.ts';
import { type TargetStore } from '../../engine/ports/store.ts';
import { DynamoTokenStore } from './token-store.ts';
import { type TokenStore } from '../../engine/ports/store.ts';
import { DynamoTriggerStore } from './trigger-store.ts';
import { type TriggerStore } from '../../engine/ports/store.ts';
import { type Store } from '../../engine/ports/store.ts';
import { DynamoQueryStore } from './query-store.ts';
import { DynamoNotificationTargetStore } from './notification-target-store.ts';
import { DynamoOrderReadStore } from './order-read-store.ts';

export function createStore(client: DynamoDBClient, tableName: string, options: TableOptions = {}): Store {
  const table = new Table(client, tableName, options);
  return {
    clusters: new DynamoClusterStore(table),
    applications: new DynamoApplicationStore(table),
    inventories: new DynamoInventoryStore(table),
    runs: new DynamoRunStore(table),
    targets: new DynamoTargetStore(table),
    tokens: new DynamoTokenStore(table),
    payloads: new DynamoPayloadStore(table),
    usage: new DynamoUsageStore(table),
    triggers: new DynamoTriggerStore(table),
    deliveries: new DynamoDeliveryStore(table),
    chatIntegrations: new DynamoChatIntegrationStore(table),
    queries: new DynamoQueryStore(table),
    notificationTargets: new DynamoNotificationTargetStore(table),
    orderReads: new DynamoOrderReadStore(table),
  };
}
