import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoApplicationStore, type ApplicationStore } from './application-store.ts';
import { DynamoChatIntegrationStore, type ChatIntegrationStore } from './chatops-store.ts';
import { DynamoClusterStore, type ClusterStore } from './cluster-store.ts';
import { DynamoDeliveryStore, type DeliveryStore } from './delivery-store.ts';
import { DynamoInventoryStore, type InventoryStore } from './inventory-store.ts';
import { DynamoPayloadStore, type PayloadStore } from './payload-store.ts';
import { DynamoRequestCountStore, type RequestCountStore } from './request-count-store.ts';
import { DynamoRunStore, type RunStore } from './run-store.ts';
import { Table } from './table.ts';
import { DynamoTargetStore, type TargetStore } from './target-store.ts';
import { DynamoTokenStore, type TokenStore } from './token-store.ts';
import { DynamoTriggerStore, type TriggerStore } from './trigger-store.ts';

/** Every aggregate of Flotilla's single table, each behind its own small interface. */
export interface Store {
  clusters: ClusterStore;
  applications: ApplicationStore;
  inventories: InventoryStore;
  runs: RunStore;
  targets: TargetStore;
  tokens: TokenStore;
  payloads: PayloadStore;
  requestCounts: RequestCountStore;
  triggers: TriggerStore;
  deliveries: DeliveryStore;
  chatIntegrations: ChatIntegrationStore;
}

export function createStore(client: DynamoDBClient, tableName: string): Store {
  const table = new Table(client, tableName);
  return {
    clusters: new DynamoClusterStore(table),
    applications: new DynamoApplicationStore(table),
    inventories: new DynamoInventoryStore(table),
    runs: new DynamoRunStore(table),
    targets: new DynamoTargetStore(table),
    tokens: new DynamoTokenStore(table),
    payloads: new DynamoPayloadStore(table),
    requestCounts: new DynamoRequestCountStore(table),
    triggers: new DynamoTriggerStore(table),
    deliveries: new DynamoDeliveryStore(table),
    chatIntegrations: new DynamoChatIntegrationStore(table),
  };
}
