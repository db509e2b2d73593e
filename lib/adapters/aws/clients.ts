import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { tagFaultsOf } from './infrastructure-fault.ts';

/**
 * Where the AWS clients point. Read from the standard AWS settings, so the same code reaches AWS, moto, LocalStack or
 * the embedded dynalite + fauxqs with no emulator-specific branch: only the endpoint URLs differ.
 */
export const AwsSettings = z.object({
  region: z.string().min(1),
  dynamodbEndpoint: z.url().optional(),
  sqsEndpoint: z.url().optional(),
  kmsEndpoint: z.url().optional(),
  eventsEndpoint: z.url().optional(),
});
export type AwsSettings = z.infer<typeof AwsSettings>;

export function awsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsSettings {
  const shared = env.AWS_ENDPOINT_URL || undefined;
  return AwsSettings.parse({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    dynamodbEndpoint: env.AWS_ENDPOINT_URL_DYNAMODB || shared,
    sqsEndpoint: env.AWS_ENDPOINT_URL_SQS || shared,
    kmsEndpoint: env.AWS_ENDPOINT_URL_KMS || shared,
    eventsEndpoint: env.AWS_ENDPOINT_URL_EVENTBRIDGE || shared,
  });
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  kms: KMSClient;
  events: EventBridgeClient;
}

/**
 * Fail fast instead of hanging: without these the SDK waits on a dead or hung endpoint for as long as the socket lives,
 * and API Gateway gives up at 29 s with a bare 500. A call costs at most maxAttempts x (connect + request) plus
 * backoff: 3 x 6 s = 18 s, inside that budget. The request timeout counts from the send, so a long poll passes a
 * longer one per call (local/event-source.ts).
 */
export const awsClientTimeouts = { connectionTimeoutMs: 2_000, requestTimeoutMs: 6_000, maxAttempts: 3 } as const;

export function createAwsClients(settings: AwsSettings = awsSettingsFromEnv()): AwsClients {
  const { region } = settings;
  const common = {
    region,
    maxAttempts: awsClientTimeouts.maxAttempts,
    requestHandler: {
      connectionTimeout: awsClientTimeouts.connectionTimeoutMs,
      requestTimeout: awsClientTimeouts.requestTimeoutMs,
      // Without it the request timeout only logs a warning and the call goes on waiting.
      throwOnRequestTimeout: true,
    },
  };
  const clients = {
    dynamodb: new DynamoDBClient({ ...common, endpoint: settings.dynamodbEndpoint }),
    sqs: new SQSClient({ ...common, endpoint: settings.sqsEndpoint }),
    kms: new KMSClient({ ...common, endpoint: settings.kmsEndpoint }),
    events: new EventBridgeClient({ ...common, endpoint: settings.eventsEndpoint }),
  };
  tagFaultsOf(clients.dynamodb, 'dynamodb');
  tagFaultsOf(clients.sqs, 'sqs');
  tagFaultsOf(clients.kms, 'kms');
  return clients;
}
