import type { Prices } from './prices.ts';
import type { Usage } from './usage.ts';

/** What `usage` costs at `prices`, in USD, each service apart and in total. */
export interface CostEstimate {
  dynamodb: number;
  sqs: number;
  lambda: number;
  total: number;
}

export function estimateCost(usage: Usage, prices: Prices): CostEstimate {
  const million = 1_000_000;
  const dynamodb = (usage.dynamodbReadUnits * prices.dynamodbReadUnitPerMillion + usage.dynamodbWriteUnits * prices.dynamodbWriteUnitPerMillion) / million;
  const standard = Math.max(0, usage.sqsRequests - usage.sqsFifoRequests);
  const sqs = (standard * prices.sqsStandardRequestPerMillion + usage.sqsFifoRequests * prices.sqsFifoRequestPerMillion) / million;
  const lambda = (usage.lambdaInvocations * prices.lambdaRequestPerMillion) / million + usage.lambdaGbSeconds * prices.lambdaGbSecond;
  return { dynamodb, sqs, lambda, total: dynamodb + sqs + lambda };
}
