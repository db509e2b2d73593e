// The cost meter on both emulations: a batch's records have their DynamoDB and SQS requests counted (request units as
// DynamoDB reports them), the invocation's GB-seconds split between them, and each run's share (totals and per target)
// recorded in one write per run per batch, which its own figure counts.
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, test } from 'vitest';
import * as z from 'zod';
import { countRequestsOf } from '../../../lib/adapters/aws/request-counter.ts';
import { DynamoUsageStore } from '../../../lib/adapters/dynamodb/usage-store.ts';
import { emptyUsage, type Usage } from '../../../lib/core/cost/usage.ts';
import { Table } from '../../../lib/adapters/dynamodb/table.ts';
import { sqsWorker } from '../../../lib/adapters/sqs/sqs-worker.ts';
import { backends, createQueue, createTable, useAwsBackend } from './backends.ts';
import { createPowertoolsTelemetry } from '../../../lib/adapters/telemetry/powertools-telemetry.ts';

const { telemetry } = createPowertoolsTelemetry({ functionName: 'test' });

const Message = z.object({ runId: z.string().optional(), cluster: z.string().optional(), send: z.boolean() });

function record(id: string, body: z.infer<typeof Message>): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:applier',
    awsRegion: 'us-east-1',
  };
}

describe.each(backends)('usage meter on %s', (backend) => {
  const aws = useAwsBackend(backend);

  test('one batch: requests, units and GB-seconds per run and target, written once per run', async () => {
    const { dynamodb, sqs } = aws();
    countRequestsOf(dynamodb, 'dynamodb');
    countRequestsOf(sqs, 'sqs');
    const table = new Table(dynamodb, await createTable(dynamodb, 'usage', { sortKey: true }));
    const fifo = await createQueue(sqs, 'orders', { fifo: true });
    const usage = new DynamoUsageStore(table);
    const handler = sqsWorker({
      name: 'applier',
      schema: Message,
      telemetry,
      sqs,
      queueUrls: [],
      work: async (message) => {
        await table.get({ pk: 'SOMETHING', sk: 'ELSE' });
        if (message.send) await sqs.send(new SendMessageCommand({ QueueUrl: fifo.url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: crypto.randomUUID() }));
        await new Promise((resolve) => setTimeout(resolve, 20));
        return 'done';
      },
      meterFor: {
        usageOf: (m) => (m.runId === undefined ? undefined : { runId: m.runId, target: m.cluster === undefined ? undefined : { stepId: 'deploy1', cluster: m.cluster, namespace: 'default' } }),
        usage,
      },
    });
    const event: SQSEvent = {
      Records: [
        record('1', { runId: 'run-a', cluster: 'beijing-1', send: true }),
        record('2', { runId: 'run-a', cluster: 'beijing-1', send: false }),
        record('3', { runId: 'run-a', cluster: 'beijing-2', send: false }),
        record('4', { send: false }),
        record('5', { runId: 'run-b', send: false }),
      ],
    };
    const started = performance.now();
    expect(await handler(event, { memoryLimitInMB: '1024' })).toEqual({ batchItemFailures: [] });
    const elapsedSeconds = (performance.now() - started) / 1000;

    const a = await usage.get('run-a');
    // Three GetItems of its records, and the one write that recorded them.
    expect(a.total.dynamodbRequests).toBe(4);
    expect(a.total.dynamodbReadUnits).toBeGreaterThan(0);
    expect(a.total.dynamodbWriteUnits).toBeGreaterThanOrEqual(1);
    // Its one SendMessage to a FIFO queue, and its share of the batch's receive and delete (the batch is standard).
    expect(a.total.sqsFifoRequests).toBe(1);
    expect(a.total.sqsRequests).toBeCloseTo(1 + 2 * a.total.lambdaInvocations, 9);
    // Three of five records that each took about as long: about three fifths of the invocation, at 1 GB.
    expect(a.total.lambdaInvocations).toBeGreaterThan(0.3);
    expect(a.total.lambdaInvocations).toBeLessThan(0.9);
    expect(a.total.lambdaGbSeconds).toBeGreaterThan(0);
    expect(a.total.lambdaGbSeconds).toBeLessThanOrEqual(elapsedSeconds + 0.001);
    const byCluster = Object.fromEntries(a.targets.map((t) => [t.target.cluster, t.usage]));
    expect(Object.keys(byCluster).sort()).toEqual(['beijing-1', 'beijing-2']);
    expect([byCluster['beijing-1']!.dynamodbRequests, byCluster['beijing-1']!.sqsFifoRequests, byCluster['beijing-2']!.dynamodbRequests]).toEqual([2, 1, 1]);
    expect(byCluster['beijing-1']!.lambdaGbSeconds + byCluster['beijing-2']!.lambdaGbSeconds).toBeCloseTo(a.total.lambdaGbSeconds, 9);
    const b = await usage.get('run-b');
    expect([b.total.dynamodbRequests, b.targets]).toEqual([2, []]);

    // A second batch adds to the same figures.
    await handler({ Records: [record('6', { runId: 'run-a', cluster: 'beijing-2', send: false })] }, { memoryLimitInMB: '1024' });
    const again = await usage.get('run-a');
    expect(again.total.dynamodbRequests).toBe(4 + 2);
    expect(again.targets.find((t) => t.target.cluster === 'beijing-2')!.usage.dynamodbRequests).toBe(2);
    expect(again.total.lambdaInvocations).toBeCloseTo(a.total.lambdaInvocations + 1, 9);
  });
});

// On dynalite only: moto enforces the same limit, but rewriting an item this large takes it seconds per update (more
// than three minutes for this test), and AWS answers with the same ValidationException the store looks for.
describe('usage meter on embedded dynalite+fauxqs, at the item size limit', () => {
  const aws = useAwsBackend('embedded dynalite+fauxqs');

  test("past DynamoDB's 400 KB item limit the run's totals go on being counted; targets already in the item keep theirs", async () => {
    const { dynamodb } = aws();
    const table = new Table(dynamodb, await createTable(dynamodb, 'usage-full', { sortKey: true }));
    const usage = new DynamoUsageStore(table);
    const used = { ...emptyUsage(), dynamodbRequests: 5, dynamodbReadUnits: 3, dynamodbWriteUnits: 4, sqsRequests: 1, sqsFifoRequests: 1, lambdaInvocations: 1, lambdaGbSeconds: 0.0123 };
    // Ten a write, as a batch of SQS records brings at most ten targets. Long names (about 260 bytes a target) reach
    // 400 KB after about 1,550 targets.
    const perWrite = 10;
    const targets = 2_000;
    const namespace = `n${'s'.repeat(62)}`;
    const cluster = (i: number) => `registration-${String(i).padStart(5, '0')}-${'c'.repeat(30)}`;
    for (let start = 0; start < targets; start += perWrite) {
      const batch = Array.from({ length: perWrite }, (_, i) => ({ target: { stepId: 'abcdefghij', cluster: cluster(start + i), namespace }, usage: used }));
      await usage.add('run-big', { total: scaled(used, perWrite), targets: batch });
    }
    // Another function instance, which has not met the refusal yet, still gets its totals written.
    await new DynamoUsageStore(table).add('run-big', { total: used, targets: [{ target: { stepId: 'abcdefghij', cluster: cluster(0), namespace }, usage: used }] });
    const got = await usage.get('run-big');
    expect(got.total.dynamodbRequests).toBe(5 * (targets + 1));
    expect(got.total.sqsRequests).toBe(targets + 1);
    expect(got.targets.length).toBeGreaterThan(1_000);
    expect(got.targets.length).toBeLessThan(targets);
    expect(got.targets.find((t) => t.target.cluster === cluster(1))?.usage.dynamodbRequests).toBe(5);
  });
});

function scaled(usage: Usage, times: number): Usage {
  return Object.fromEntries(Object.entries(usage).map(([field, value]) => [field, value * times])) as unknown as Usage;
}
