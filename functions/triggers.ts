import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import middy from '@middy/core';
import { InboxMessage, processInboxMessage } from '../integrations/inbox.ts';
import { config } from './config.ts';
import { cipher, clients, observe, queues, store } from './runtime.ts';
import { sqsWorker } from '../lib/adapters/sqs/sqs-worker.ts';

const { telemetry, middleware } = observe('triggers');

/**
 * Triggers: consumes the CI-event inbox. EventBridge's rules put ECR pushes and CodePipeline/CodeBuild successes
 * there, which publish revisions for the matching EventBridge triggers; the API puts slash commands there whose
 * reply missed Slack's three seconds, which are answered through their response_url.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(middleware)
  .handler(
    sqsWorker({
      name: 'triggers',
      schema: InboxMessage,
      telemetry,
      sqs: clients.sqs,
      queueUrls: config.ciEventsQueueUrl === undefined ? [] : [config.ciEventsQueueUrl],
      work: (message) => processInboxMessage({ store, queues, cipher, prices: config.prices, now: () => new Date(), log: telemetry.log }, message),
    }),
  );
