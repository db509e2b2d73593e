import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import middy from '@middy/core';
import { PlannerMessage } from '../lib/engine/messages/planner-message.ts';
import { plan } from '../lib/engine/planner/plan.ts';
import { config } from './config.ts';
import { clients, engineWith, noClusterAccess, observe, store } from './runtime.ts';
import { sqsWorker } from '../lib/adapters/sqs/sqs-worker.ts';
import { messageLogFields } from './shared/message-log-fields.ts';

const { telemetry, middleware } = observe('planner');
const engine = engineWith(noClusterAccess, telemetry);

/** Planner: starts runs, starts steps as their turn comes, closes runs, collects garbage. SQS-triggered. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(middleware)
  .handler(
    sqsWorker({
      name: 'planner',
      schema: PlannerMessage,
      telemetry,
      logFields: messageLogFields,
      sqs: clients.sqs,
      queueUrls: [config.queues.planner],
      work: (message) => plan(engine, message),
      meterFor: { usageOf: (message) => ('runId' in message ? { runId: message.runId } : undefined), usage: store.usage },
    }),
  );
