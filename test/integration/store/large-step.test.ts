// A step with hundreds of targets through the real store, with Query pages forced small so every listing crosses
// pages: registering is one BatchWriteItem per 25 targets, listing and status answer with every target in requests
// that grow with the pages, not with the targets. Counts, not timings.
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { countRequestsOf, meterRequests } from '../../../lib/adapters/aws/request-counter.ts';
import { createStore } from '../../../lib/adapters/dynamodb/store.ts';
import { registrationTakeoverMs } from '../../../lib/adapters/dynamodb/target-store.ts';
import { emptyUsage } from '../../../lib/core/cost/usage.ts';
import type { RunRecord } from '../../../lib/core/run/run.ts';
import type { PlannedTarget } from '../../../lib/core/run/target.ts';
import type { Store } from '../../../lib/engine/ports/store.ts';
import { RetryLater } from '../../../lib/engine/retry.ts';
import { loadStatus } from '../../../lib/engine/status/load-status.ts';
import { dynamoBackends, useStoreOn } from './backends.ts';
import { createRunningRun } from './running-run.ts';

const targetCount = 300;
const pageSize = 25;
const pages = Math.ceil(targetCount / pageSize);
const now = new Date('2026-12-01T10:00:00.000Z');

function placements(count: number): PlannedTarget[] {
  const payload = {
    where: 'inline' as const,
    resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello', namespace: 'default' }, spec: { replicas: 1 } }],
    components: [{ name: 'hello', type: 'webservice', traits: [], dependsOn: [] }],
  };
  return Array.from({ length: count }, (_, i) => ({ cluster: `member-${String(i).padStart(4, '0')}`, namespace: 'default', createNamespace: false, payload }));
}

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const usage = emptyUsage();
  const result = await meterRequests(usage, work);
  return { result, requests: usage.dynamodbRequests };
}

async function startedRun(store: Store, name: string): Promise<RunRecord> {
  const run = await createRunningRun(store, name, 'deploy-everywhere', now);
  await store.runs.claimLive('default', name, run.runId);
  return run;
}

describe.each(dynamoBackends)(`a ${targetCount}-target step on $name`, ({ open }) => {
  const fixture = useStoreOn(open);
  const paged = (): { store: Store; client: DynamoDBClient } => {
    countRequestsOf(fixture.backend.client, 'dynamodb');
    return { store: createStore(fixture.backend.client, fixture.backend.tableName, { queryPageSize: pageSize }), client: fixture.backend.client };
  };

  it('registers in batches of 25, lists every target across pages, and answers status in requests per page', async () => {
    const { store } = paged();
    const run = await startedRun(store, 'wide-app');
    const step = run.steps[0]!.id;

    const registered = await counted(() => store.targets.register(run.runId, step, placements(targetCount), now));
    expect(registered.result).toHaveLength(targetCount);
    // The claim, one BatchWriteItem per 25 targets, the tally.
    expect(registered.requests).toBe(1 + targetCount / 25 + 1);

    const listed = await counted(() => store.targets.listForStep(run.runId, step));
    expect(new Set(listed.result.map((t) => t.cluster)).size).toBe(targetCount);
    // Every page but the last says there may be more; the last may be an empty one.
    expect(listed.requests).toBeGreaterThanOrEqual(pages);
    expect(listed.requests).toBeLessThanOrEqual(pages + 1);

    // One finished target on the first page, one in the middle, one on the last.
    const finished = [0, targetCount / 2, targetCount - 1].map((i) => listed.result[i]!);
    for (const target of finished) {
      const detail = { services: [{ component: 'hello', type: 'webservice', healthy: true, message: 'Ready:1/1', traits: [] }], checkedAt: now.toISOString() };
      await store.targets.complete(run.runId, step, target, { phase: 'succeeded', detail }, now);
    }
    const status = await counted(() => loadStatus(store, 'default', 'wide-app'));
    // Read from every page: the three finished targets are found wherever their pages are.
    expect(status.result?.workflow?.steps.map((s) => s.phase)).toEqual(['running']);
    expect(status.result?.services.filter((s) => s.healthy).map((s) => s.cluster)).toEqual(finished.map((t) => t.cluster));
    const { requests } = status;
    // The application, its newest run (one item), its inventories, the live run's id and record, the usage, and the
    // targets' pages: nothing per target.
    expect(requests).toBeLessThanOrEqual(pages + 1 + 6);
    expect(requests / targetCount).toBeLessThan(0.1);
  });

  it('lists a run\'s targets for status without their rendered objects, still naming a failed target\'s components', async () => {
    const { store } = paged();
    const run = await startedRun(store, 'viewed-app');
    const step = run.steps[0]!.id;
    const [failed] = await store.targets.register(run.runId, step, placements(30), now);
    await store.targets.complete(run.runId, step, failed!, { phase: 'failed', message: 'connect ECONNREFUSED' }, now);

    const views = await store.targets.listViewsForRun(run.runId);
    expect(views).toHaveLength(30);
    expect(views.some((view) => 'payload' in view)).toBe(false);
    expect(views.find((view) => view.cluster === failed!.cluster)).toMatchObject({ phase: 'failed', components: [{ name: 'hello', type: 'webservice' }] });
    // Status has no sibling with a health report to borrow components from: they come from the view.
    const status = await loadStatus(store, 'default', 'viewed-app');
    expect(status?.services.filter((s) => s.cluster === failed!.cluster)).toEqual([expect.objectContaining({ name: 'hello', healthy: false, message: 'connect ECONNREFUSED' })]);
  });

  it('hands a step being registered by a live planner back to retry later, and takes over a claim its planner left', async () => {
    const { store } = paged();
    const run = await startedRun(store, 'contested-app');
    const step = run.steps[0]!.id;
    // A planner claimed the step and died before any target or the tally was written.
    const claimedAt = new Date(now.getTime() - 1000);
    await fixture.backend.client.send(
      new PutItemCommand({
        TableName: fixture.backend.tableName,
        Item: { pk: { S: `RUN#${run.runId}` }, sk: { S: `REGISTER#${step}` }, claimedAt: { S: claimedAt.toISOString() } },
      }),
    );
    const busy = await store.targets.register(run.runId, step, placements(30), now).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(busy).toBeInstanceOf(RetryLater);
    expect((busy as RetryLater).delaySeconds).toBeGreaterThanOrEqual((registrationTakeoverMs - 1000) / 1000);
    expect(await store.targets.listForStep(run.runId, step)).toEqual([]);
    expect(await store.targets.tally(run.runId, step)).toBeUndefined();

    const later = new Date(claimedAt.getTime() + registrationTakeoverMs + 1);
    const taken = await store.targets.register(run.runId, step, placements(30), later);
    expect(taken).toHaveLength(30);
    expect(await store.targets.tally(run.runId, step)).toMatchObject({ expected: 30 });
    // Registered now: a late duplicate gets the stored targets back and writes nothing.
    const again = await counted(() => store.targets.register(run.runId, step, placements(30), later));
    expect(again.result.map((t) => t.cluster)).toEqual(taken.map((t) => t.cluster));
    expect(again.result.every((t) => t.version === 1 && t.createdAt === later.toISOString())).toBe(true);
  });
});
