// An advance of a rollout step through the real store, with Query pages forced small: deciding the rollout reads the
// run and the step's tally, and only the targets being dispatched are read (by key), so an advance costs the same
// number of DynamoDB requests at 30 targets as at 300. Counts, not timings. Apply orders go to a real SQS queue (moto).
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countRequestsOf, meterRequests } from '../../../lib/adapters/aws/request-counter.ts';
import { createStore } from '../../../lib/adapters/dynamodb/store.ts';
import { KeyFileCredentialCipher } from '../../../lib/adapters/secrets/key-file-cipher.ts';
import { SqsWorkQueues } from '../../../lib/adapters/sqs/sqs-work-queues.ts';
import { createPowertoolsTelemetry } from '../../../lib/adapters/telemetry/powertools-telemetry.ts';
import { emptyUsage } from '../../../lib/core/cost/usage.ts';
import type { RunRecord } from '../../../lib/core/run/run.ts';
import type { PlannedTarget } from '../../../lib/core/run/target.ts';
import { DeployStepProperties } from '../../../lib/core/workflow/deploy-step.ts';
import { defaultEngineSettings, type Engine } from '../../../lib/engine/context.ts';
import { noRunEvents } from '../../../lib/engine/ports/run-events.ts';
import type { Store } from '../../../lib/engine/ports/store.ts';
import { advanceRollout } from '../../../lib/engine/planner/start-step.ts';
import { recordRollout } from '../../../lib/engine/planner/rollout-step.ts';
import { dynamoBackends, testCredentials, testRegion, useStoreOn } from './backends.ts';
import { createRunningRun } from './running-run.ts';

const pageSize = 25;
const [moto] = dynamoBackends;
const payload = {
  where: 'inline' as const,
  resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello', namespace: 'default' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'hello', image: `nginx:1#${'x'.repeat(2000)}` }] } } } }],
  components: [{ name: 'hello', type: 'webservice', traits: [], dependsOn: [] }],
};
const clusterName = (i: number) => `member-${String(i).padStart(4, '0')}`;

/** One target per cluster, and a second namespace on the first cluster: a cluster finishes only with both. */
function placements(clusters: number): PlannedTarget[] {
  const one = (cluster: string, namespace: string) => ({ cluster, namespace, createNamespace: false, payload });
  return [one(clusterName(0), 'extra'), ...Array.from({ length: clusters }, (_, i) => one(clusterName(i), 'default'))];
}

let sqs: SQSClient;
let applierQueue: string;
const queueUrls: string[] = [];
let cipher: KeyFileCredentialCipher;

beforeAll(async () => {
  sqs = new SQSClient({ region: testRegion, endpoint: inject('motoEndpoint'), credentials: testCredentials });
  const prefix = `rollout-advance-${randomBytes(4).toString('hex')}`;
  const create = async (name: string, fifo: boolean) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}) }));
    queueUrls.push(QueueUrl!);
    return QueueUrl!;
  };
  applierQueue = await create(`${prefix}-applier.fifo`, true);
  await create(`${prefix}-planner`, false);
  await create(`${prefix}-health`, false);
  cipher = new KeyFileCredentialCipher(join(await mkdtemp(join(tmpdir(), 'flotilla-advance-')), 'key'));
});
afterAll(async () => {
  for (const url of queueUrls) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => {});
  sqs.destroy();
});

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const usage = emptyUsage();
  const result = await meterRequests(usage, work);
  return { result, requests: usage.dynamodbRequests };
}

/** The clusters whose apply orders are in the applier queue now, one entry per order (each read once, then gone). */
async function ordersSent(): Promise<string[]> {
  const clusters: string[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: applierQueue, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
    if (!Messages?.length) return clusters.sort();
    clusters.push(...Messages.map((m) => (JSON.parse(m.Body!) as { cluster: string }).cluster));
    // Deleted, as the applier would: a FIFO group holds its next message while one is in flight.
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: applierQueue, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

describe(`an advance of a rollout step on ${moto!.name}`, () => {
  const fixture = useStoreOn(moto!.open);
  const engineOn = (store: Store): Engine => {
    const [planner, applier, health] = [queueUrls[1]!, queueUrls[0]!, queueUrls[2]!];
    return {
      store,
      queues: new SqsWorkQueues(sqs, { planner, applier, health }),
      cipher,
      events: noRunEvents,
      now: () => new Date(),
      settings: defaultEngineSettings,
      telemetry: createPowertoolsTelemetry({ functionName: 'rollout-advance-test' }).telemetry,
      clusterClient: (cluster) => Promise.reject(new Error(`no cluster access in this test (asked for ${cluster})`)),
      probeCluster: (cluster) => Promise.reject(new Error(`no cluster access in this test (asked to probe ${cluster})`)),
      outbound: { post: () => Promise.reject(new Error('no outbound posts in this test')) },
    };
  };

  async function startedRollout(store: Store, engine: Engine, name: string, clusters: number): Promise<RunRecord> {
    const now = new Date();
    const run = await createRunningRun(store, name, 'ship', now);
    const properties = DeployStepProperties.parse({ policies: [], parallelism: 5, rollout: { waves: ['10', '100%'] } });
    const planned = placements(clusters);
    const infos = Array.from({ length: clusters }, (_, i) => ({ name: clusterName(i), labels: {} }));
    await recordRollout(engine, run.runId, 'deploy0001', properties, infos, planned);
    await store.targets.register(run.runId, 'deploy0001', planned, now);
    return (await store.runs.get(run.runId))!;
  }

  /** Starts a rollout of `clusters` targets, then measures the advance after its first cluster finished. */
  async function scenario(name: string, clusters: number) {
    countRequestsOf(fixture.backend.client, 'dynamodb');
    const store = createStore(fixture.backend.client, fixture.backend.tableName, { queryPageSize: pageSize });
    const engine = engineOn(store);
    const run = await startedRollout(store, engine, name, clusters);
    const step = () => store.runs.get(run.runId).then((r) => r!.steps[0]!);
    // Each advance is counted from the step as the planner has it (advanceRun read the run already).
    const advance = async () => {
      const current = await step();
      return counted(() => advanceRollout(engine, run, current));
    };
    const first = await advance();
    expect(first.result).toBe(true);
    expect(await ordersSent()).toEqual([clusterName(0), clusterName(0), clusterName(1), clusterName(2), clusterName(3), clusterName(4)]);

    // One of member-0000's two targets finished: the cluster is still open, nothing more goes out.
    await store.targets.complete(run.runId, 'deploy0001', { cluster: clusterName(0), namespace: 'default' }, { phase: 'succeeded' });
    const idle = await advance();
    expect(idle.result).toBe(false);
    expect(await ordersSent()).toEqual([]);

    // Both finished: member-0005 takes its place.
    await store.targets.complete(run.runId, 'deploy0001', { cluster: clusterName(0), namespace: 'extra' }, { phase: 'succeeded' });
    const moved = await advance();
    expect(moved.result).toBe(true);
    expect(await ordersSent()).toEqual([clusterName(5)]);
    const released = await store.targets.get(run.runId, 'deploy0001', { cluster: clusterName(5), namespace: 'default' });
    expect(released?.message).toBeUndefined();

    // member-0001 failed: member-0006 goes out once although two advances race for it.
    await store.targets.complete(run.runId, 'deploy0001', { cluster: clusterName(1), namespace: 'default' }, { phase: 'failed', message: 'broken' });
    const raced = await Promise.all([advanceRollout(engine, run, await step()), advanceRollout(engine, run, await step())]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await ordersSent()).toEqual([clusterName(6)]);
    expect((await step()).rollout!.waves[0]!.dispatched).toEqual([0, 1, 2, 3, 4, 5, 6].map(clusterName));
    return { first: first.requests, idle: idle.requests, moved: moved.requests };
  }

  it('costs the same few DynamoDB requests at 30 targets as at 300, and dispatches the cluster that took the free place', async () => {
    const small = await scenario('few-targets', 30);
    const large = await scenario('many-targets', 300);
    console.log(`DynamoDB requests per advance (30 targets -> 300): first ${small.first} -> ${large.first}, nothing to send ${small.idle} -> ${large.idle}, one cluster freed ${small.moved} -> ${large.moved}`);
    expect(large).toEqual(small);
    // Nothing to send: the run and the tally. One cluster freed: those, the run's write, one batch read of its target
    // and the target's release (its wave message dropped).
    expect(large.idle).toBeLessThanOrEqual(2);
    expect(large.moved).toBeLessThanOrEqual(5);
  });

  it('still advances a rollout recorded before the namespaces were kept, from the listed targets', async () => {
    countRequestsOf(fixture.backend.client, 'dynamodb');
    const store = createStore(fixture.backend.client, fixture.backend.tableName, { queryPageSize: pageSize });
    const engine = engineOn(store);
    const recorded = await startedRollout(store, engine, 'older-record', 30);
    const { namespaces, ...older } = recorded.steps[0]!.rollout!;
    expect(namespaces).toEqual({ each: ['default'], except: { [clusterName(0)]: ['default', 'extra'] } });
    const run = await store.runs.replace({ ...recorded, steps: [{ ...recorded.steps[0]!, rollout: older }] }, recorded.version);
    expect(await advanceRollout(engine, run, run.steps[0]!)).toBe(true);
    expect(await ordersSent()).toEqual([clusterName(0), clusterName(0), clusterName(1), clusterName(2), clusterName(3), clusterName(4)]);
    await store.targets.complete(run.runId, 'deploy0001', { cluster: clusterName(0), namespace: 'default' }, { phase: 'succeeded' });
    const step = () => store.runs.get(run.runId).then((r) => r!.steps[0]!);
    expect(await advanceRollout(engine, run, await step())).toBe(false);
    await store.targets.complete(run.runId, 'deploy0001', { cluster: clusterName(0), namespace: 'extra' }, { phase: 'succeeded' });
    const moved = await counted(async () => advanceRollout(engine, run, await step()));
    expect(moved.result).toBe(true);
    // The step's targets are listed (two pages of 25) instead of reading the tally.
    expect(moved.requests).toBeGreaterThan(5);
    expect(await ordersSent()).toEqual([clusterName(5)]);
    expect((await step()).rollout).not.toHaveProperty('namespaces');
  });
});
