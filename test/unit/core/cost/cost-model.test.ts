import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../../../lib/core/cost/estimate-cost.ts';
import { invocationUsage, type MeteredRecord } from '../../../../lib/core/cost/invocation-usage.ts';
import { PriceOverride, pricesWith, publishedPrices } from '../../../../lib/core/cost/prices.ts';
import { addUsage, emptyUsage, type Usage } from '../../../../lib/core/cost/usage.ts';

const usage = (figures: Partial<Usage>): Usage => addUsage(emptyUsage(), figures);
const target = (cluster: string) => ({ stepId: 'deploy1', cluster, namespace: 'default' });

describe('estimateCost', () => {
  it('prices each service at the published per-million and per-GB-second rates', () => {
    // A million of everything: the per-million prices themselves, FIFO priced apart from standard.
    const million = usage({ dynamodbReadUnits: 1e6, dynamodbWriteUnits: 1e6, sqsRequests: 2e6, sqsFifoRequests: 1e6, lambdaInvocations: 1e6, lambdaGbSeconds: 1e6 });
    const cost = estimateCost(million, publishedPrices);
    expect(cost.dynamodb).toBeCloseTo(0.125 + 0.625, 10);
    expect(cost.sqs).toBeCloseTo(0.4 + 0.5, 10);
    expect(cost.lambda).toBeCloseTo(0.2 + 13.3334, 10);
    expect(cost.total).toBeCloseTo(cost.dynamodb + cost.sqs + cost.lambda, 12);
  });

  it('counts request units, not requests, for DynamoDB; nothing used costs nothing', () => {
    expect(estimateCost(usage({ dynamodbRequests: 1000 }), publishedPrices).total).toBe(0);
    expect(estimateCost(usage({ dynamodbRequests: 10, dynamodbWriteUnits: 20 }), publishedPrices).dynamodb).toBeCloseTo(20 * 0.625e-6, 15);
  });

  it('lays an override over the published prices, field by field, and refuses a malformed one', () => {
    const prices = pricesWith({ region: 'eu-west-1', asOf: '2025-01-01', lambdaGbSecond: 0.00002 });
    expect(prices).toMatchObject({ region: 'eu-west-1', asOf: '2025-01-01', lambdaGbSecond: 0.00002, dynamodbWriteUnitPerMillion: 0.625 });
    expect(estimateCost(usage({ lambdaGbSeconds: 10 }), prices).lambda).toBeCloseTo(0.0002, 12);
    expect(pricesWith(undefined)).toEqual(publishedPrices);
    expect(PriceOverride.safeParse({ lambdaGbSecond: -1 }).success).toBe(false);
    expect(PriceOverride.safeParse({ asOf: 'last week' }).success).toBe(false);
    expect(PriceOverride.safeParse({ lambdaGbSeconds: 1 }).success).toBe(false);
  });
});

describe('invocationUsage', () => {
  const requests = (dynamodb: number) => usage({ dynamodbRequests: dynamodb, dynamodbWriteUnits: dynamodb });

  it("splits one invocation's GB-seconds and count between its records by the time their work took", () => {
    const records: MeteredRecord[] = [
      { runId: 'run-a', target: target('beijing-1'), requests: requests(3), workMs: 300 },
      { runId: 'run-a', target: target('beijing-2'), requests: requests(1), workMs: 100 },
    ];
    // 1000 ms at 1024 MB is one GB-second.
    const runs = invocationUsage(records, { durationMs: 1000, memoryMb: 1024 });
    const run = runs.get('run-a')!;
    expect(run.total.lambdaGbSeconds).toBeCloseTo(1, 12);
    expect(run.total.lambdaInvocations).toBeCloseTo(1, 12);
    // The recording write is part of the run's figure, once per run and batch.
    expect(run.total.dynamodbRequests).toBe(3 + 1 + 1);
    expect(run.total.dynamodbWriteUnits).toBe(3 + 1 + 1);
    expect(run.targets.map((t) => [t.target.cluster, t.usage.lambdaGbSeconds, t.usage.lambdaInvocations, t.usage.dynamodbRequests])).toEqual([
      ['beijing-1', 0.75, 0.75, 3],
      ['beijing-2', 0.25, 0.25, 1],
    ]);
    // The event source mapping's receive and delete of the batch, shared the same way; standard queue, so no FIFO.
    expect([run.total.sqsRequests, run.total.sqsFifoRequests]).toEqual([2, 0]);
    expect(run.targets.map((t) => t.usage.sqsRequests)).toEqual([1.5, 0.5]);
    const fromFifo = invocationUsage(records, { durationMs: 1000, memoryMb: 1024, fifo: true }).get('run-a')!;
    expect([fromFifo.total.sqsRequests, fromFifo.total.sqsFifoRequests]).toEqual([2, 2]);
    // The worker's own requests about the batch (an early release, a redelivery delay) are shared the same way.
    const released = invocationUsage(records, { durationMs: 1000, memoryMb: 1024, fifo: true, workerSqsRequests: 1 }).get('run-a')!;
    expect([released.total.sqsRequests, released.total.sqsFifoRequests]).toEqual([3, 3]);
    expect(released.targets.map((t) => t.usage.sqsRequests)).toEqual([2.25, 0.75]);
  });

  it('gives records of other runs and of no run their share, so one run is not billed for the batch', () => {
    const runs = invocationUsage(
      [
        { runId: 'run-a', requests: requests(2), workMs: 50 },
        { runId: 'run-b', target: target('beijing-1'), requests: requests(1), workMs: 50 },
        { requests: requests(7), workMs: 100 },
      ],
      { durationMs: 2000, memoryMb: 512 },
    );
    expect([...runs.keys()]).toEqual(['run-a', 'run-b']);
    // 2 s at 0.5 GB is 1 GB-second; each run took a quarter of the work.
    expect(runs.get('run-a')!.total.lambdaGbSeconds).toBeCloseTo(0.25, 12);
    expect(runs.get('run-a')!.targets).toEqual([]);
    expect(runs.get('run-b')!.targets[0]!.usage.lambdaGbSeconds).toBeCloseTo(0.25, 12);
  });

  it('adds up records of the same target, rounds the duration up to the millisecond, and splits evenly when no work took time', () => {
    const runs = invocationUsage(
      [
        { runId: 'run-a', target: target('beijing-1'), requests: requests(1), workMs: 0 },
        { runId: 'run-a', target: target('beijing-1'), requests: requests(1), workMs: 0 },
      ],
      { durationMs: 0.2, memoryMb: 1024 },
    );
    const [only] = runs.get('run-a')!.targets;
    expect(runs.get('run-a')!.targets).toHaveLength(1);
    expect(only!.usage.lambdaGbSeconds).toBeCloseTo(0.001, 12);
    expect(only!.usage.lambdaInvocations).toBe(1);
    expect(only!.usage.dynamodbRequests).toBe(2);
  });
});
