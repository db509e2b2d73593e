import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import middy from '@middy/core';
import { applyOrder } from '../lib/engine/applier/apply-order.ts';
import { ApplierMessage } from '../lib/engine/messages/applier-message.ts';
import { clusterAccess } from './cluster-access.ts';
import { config } from './config.ts';
import { clients, engineWith, observe, store } from './runtime.ts';
import { sqsWorker } from '../lib/adapters/sqs/sqs-worker.ts';
import { messageLogFields } from './shared/message-log-fields.ts';

const { telemetry, middleware } = observe('applier');
const engine = engineWith(clusterAccess, telemetry);

/** Applier: server-side-applies a target's objects, reads health, removes garbage. Fed by the FIFO and health queues. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(middleware)
  .handler(
    sqsWorker({
      name: 'applier',
      schema: ApplierMessage,
      telemetry,
      logFields: messageLogFields,
      sqs: clients.sqs,
      queueUrls: [config.queues.applier, config.queues.health],
      recordBudgetMs: config.recordBudgetMs,
      work: (message, record) => applyOrder(engine, message, Number(record.attributes.ApproximateReceiveCount)),
      // Orders for a target are that target's cost; the rest (probes, removals, notification posts) belongs to no target.
      meterFor: {
        usageOf: (message) => ('runId' in message && 'cluster' in message ? { runId: message.runId, target: { stepId: message.stepId, cluster: message.cluster, namespace: message.namespace } } : undefined),
        usage: store.usage,
      },
    }),
  );
