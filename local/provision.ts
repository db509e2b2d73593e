// Creates what the CDK stack creates on AWS, for the local runtime: the single table and the three queues, each with
// its dead-letter queue and redrive policy. Idempotent, so every start runs it.
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '../lib/adapters/dynamodb/table.ts';
import { defaultEngineSettings } from '../lib/engine/context.ts';

export interface LocalResources {
  tableName: string;
  plannerQueueUrl: string;
  applierQueueUrl: string;
  healthQueueUrl: string;
}

/** Visibility timeouts match the handlers' time budgets; maxReceiveCount bounds retries before the DLQ. */
const queues = {
  planner: { fifo: false, visibility: 60, maxReceiveCount: 5 },
  applier: { fifo: true, visibility: 120, maxReceiveCount: defaultEngineSettings.maxOrderReceives },
  health: { fifo: false, visibility: 60, maxReceiveCount: 5 },
} as const;

export async function provisionLocal(dynamodb: DynamoDBClient, sqs: SQSClient, prefix: string): Promise<LocalResources> {
  await createTable(dynamodb, prefix);
  const urls = {} as Record<keyof typeof queues, string>;
  for (const [name, spec] of Object.entries(queues) as [keyof typeof queues, (typeof queues)[keyof typeof queues]][]) {
    const suffix = spec.fifo ? '.fifo' : '';
    const fifo: Record<string, string> = spec.fifo ? { FifoQueue: 'true' } : {};
    const dlq = await createQueue(sqs, `${prefix}-${name}-dlq${suffix}`, { ...fifo, MessageRetentionPeriod: '1209600' });
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    urls[name] = await createQueue(sqs, `${prefix}-${name}${suffix}`, {
      ...fifo,
      VisibilityTimeout: String(spec.visibility),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: spec.maxReceiveCount }),
    });
  }
  return { tableName: prefix, plannerQueueUrl: urls.planner, applierQueueUrl: urls.applier, healthQueueUrl: urls.health };
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
  return QueueUrl;
}
