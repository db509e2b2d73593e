import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import middy from '@middy/core';
import { createApi } from '../lib/api/create-api.ts';
import { ClusterRegistry } from '../lib/clusters/cluster-registry.ts';
import { config } from './config.ts';
import { cipher, engine, queues, store } from './runtime.ts';
import { requestFromEvent, resultFromResponse } from './shared/http-event.ts';
import { log } from './shared/log.ts';

/** API: the HTTP API's single integration. Routing, auth, validation and error answers live in lib/api. */
const api = createApi({
  store,
  queues,
  registry: new ClusterRegistry({ clusters: store.clusters, inventories: store.inventories, cipher }),
  engine,
  maxBodyBytes: config.maxBodyBytes,
  log: (level, message, fields = {}) => log(level, message, { fn: 'api', ...fields }),
  now: () => new Date(),
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(async (event) =>
  resultFromResponse(await api.handle(requestFromEvent(event))),
);
