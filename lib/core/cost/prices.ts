import * as z from 'zod';

const perMillion = z.number().nonnegative();

/**
 * AWS list prices in USD, the ones a run's usage is priced with. Overridable as a whole or in part (functions/config.ts
 * reads `PRICES`, JSON), e.g. for another region, a negotiated rate or prices that changed since `asOf`.
 */
export const Prices = z.strictObject({
  region: z.string().min(1),
  /** When these prices were in effect, as published (YYYY-MM-DD). */
  asOf: z.iso.date(),
  source: z.string().min(1),
  /** On-demand, Standard table class. */
  dynamodbReadUnitPerMillion: perMillion,
  dynamodbWriteUnitPerMillion: perMillion,
  sqsStandardRequestPerMillion: perMillion,
  sqsFifoRequestPerMillion: perMillion,
  lambdaRequestPerMillion: perMillion,
  /** Arm64 (Graviton), the architecture infra/flotilla-function.ts deploys. */
  lambdaGbSecond: z.number().nonnegative(),
});
export type Prices = z.infer<typeof Prices>;

/**
 * us-east-1 list prices, free tiers left out: DynamoDB on-demand after its cut of 2024-11-01 ($0.125 per million read
 * request units, $0.625 per million write request units); SQS $0.40 (standard) and $0.50 (FIFO) per million requests;
 * Lambda $0.20 per million requests and $0.0000133334 per GB-second on arm64.
 */
export const publishedPrices: Prices = {
  region: 'us-east-1',
  asOf: '2024-11-01',
  source: 'aws.amazon.com/dynamodb/pricing/on-demand, aws.amazon.com/sqs/pricing, aws.amazon.com/lambda/pricing',
  dynamodbReadUnitPerMillion: 0.125,
  dynamodbWriteUnitPerMillion: 0.625,
  sqsStandardRequestPerMillion: 0.4,
  sqsFifoRequestPerMillion: 0.5,
  lambdaRequestPerMillion: 0.2,
  lambdaGbSecond: 0.0000133334,
};

/** The published prices with an override laid over them; the override is checked field by field. */
export const PriceOverride = Prices.partial();
export type PriceOverride = z.infer<typeof PriceOverride>;

export function pricesWith(override: PriceOverride | undefined): Prices {
  return { ...publishedPrices, ...override };
}
