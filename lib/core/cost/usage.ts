import * as z from 'zod';

const count = z.number().nonnegative();

/**
 * What some work cost in AWS terms, the quantities AWS bills: DynamoDB requests and the request units they consumed,
 * SQS requests (FIFO ones also counted apart, they are dearer), Lambda invocations and GB-seconds. Invocations are
 * shares: a batch of records is one invocation, split between its records as its duration is.
 */
export const Usage = z.object({
  dynamodbRequests: count,
  dynamodbReadUnits: count,
  dynamodbWriteUnits: count,
  sqsRequests: count,
  /** The part of sqsRequests that went to FIFO queues. */
  sqsFifoRequests: count,
  lambdaInvocations: count,
  lambdaGbSeconds: count,
});
export type Usage = z.infer<typeof Usage>;

export const usageFields = Object.keys(Usage.shape) as (keyof Usage)[];

export function emptyUsage(): Usage {
  return { dynamodbRequests: 0, dynamodbReadUnits: 0, dynamodbWriteUnits: 0, sqsRequests: 0, sqsFifoRequests: 0, lambdaInvocations: 0, lambdaGbSeconds: 0 };
}

export function addUsage(a: Usage, b: Partial<Usage>): Usage {
  const sum = { ...a };
  for (const field of usageFields) sum[field] += b[field] ?? 0;
  return sum;
}

/** A target of a run, as its usage is kept: the step and the (cluster, namespace) it deploys to. */
export interface UsageTarget {
  stepId: string;
  cluster: string;
  namespace: string;
}

/** A run's usage: everything its messages caused, and the part each target's own messages caused. */
export interface RunUsage {
  total: Usage;
  targets: { target: UsageTarget; usage: Usage }[];
}
