import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';

/**
 * Where the AWS clients point. Read from the standard AWS settings, so the same code reaches AWS, moto, LocalStack or
 * the embedded dynalite + fauxqs with no emulator-specific branch: only the endpoint URLs differ.
 */
export const AwsSettings = z.object({
  region: z.string().min(1),
  dynamodbEndpoint: z.url().optional(),
  sqsEndpoint: z.url().optional(),
  kmsEndpoint: z.url().optional(),
});
export type AwsSettings = z.infer<typeof AwsSettings>;

export function awsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsSettings {
  const shared = env.AWS_ENDPOINT_URL || undefined;
  return AwsSettings.parse({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    dynamodbEndpoint: env.AWS_ENDPOINT_URL_DYNAMODB || shared,
    sqsEndpoint: env.AWS_ENDPOINT_URL_SQS || shared,
    kmsEndpoint: env.AWS_ENDPOINT_URL_KMS || shared,
  });
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  kms: KMSClient;
}

export function createAwsClients(settings: AwsSettings = awsSettingsFromEnv()): AwsClients {
  const { region } = settings;
  return {
    dynamodb: new DynamoDBClient({ region, endpoint: settings.dynamodbEndpoint }),
    sqs: new SQSClient({ region, endpoint: settings.sqsEndpoint }),
    kms: new KMSClient({ region, endpoint: settings.kmsEndpoint }),
  };
}
