import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import middy from '@middy/core';
import { createApi } from '../api/create-api.ts';
import { InProcessFollowUps, QueuedFollowUps } from '../integrations/chatops/follow-ups.ts';
import { ClusterRegistry } from '../lib/engine/clusters/cluster-registry.ts';
import { config } from './config.ts';
import { cipher, clients, engineWith, noClusterAccess, observe, queues, store } from './runtime.ts';
import { requestFromEvent, resultFromResponse } from './shared/http-event.ts';
import { checkDependencies, sharedFor } from '../lib/adapters/aws/dependency-check.ts';
import { reachCluster } from '../lib/adapters/kubernetes/cluster-reach.ts';

const { telemetry, middleware } = observe('api');
const engine = engineWith(noClusterAccess, telemetry);

/** API: the HTTP API's single integration. Routing, auth, validation and error answers live in lib/api. */
const api = createApi({
  store,
  queues,
  registry: new ClusterRegistry({
    clusters: store.clusters,
    inventories: store.inventories,
    cipher,
    reach: (connection) => reachCluster(connection, { policy: config.clusterEndpoints }),
    endpointPolicy: config.clusterEndpoints,
  }),
  engine,
  cipher,
  chatops: {
    // On Lambda the function freezes once it has answered, so slow Slack replies go to the trigger function's queue.
    followUps: config.ciEventsQueueUrl === undefined ? new InProcessFollowUps(telemetry.log) : new QueuedFollowUps(clients.sqs, config.ciEventsQueueUrl),
    inlineBudgetMs: config.slack.inlineBudgetMs,
    responseUrlOrigins: config.slack.responseUrlOrigins,
  },
  maxBodyBytes: config.maxBodyBytes,
  prices: config.prices,
  checkDependencies: sharedFor(2_000, () => checkDependencies(clients, { tableName: config.tableName, queues: config.queues })),
  log: telemetry.log,
  telemetry,
  now: () => new Date(),
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(middleware)
  .handler(async (event) => resultFromResponse(await api.handle(requestFromEvent(event))));
