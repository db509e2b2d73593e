// What one target costs in DynamoDB requests on the happy path (apply, healthy within the inline wait, finish), read
// from the run's usage per target: a count, so it fails as soon as someone adds a request to the apply order's path.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDocument, startEngineHarness, type EngineHarness } from './engine-harness.ts';

const namespace = `engine-requests-${Date.now().toString(36)}`;
const clusters = ['beijing-1', 'beijing-2', 'us-west-1'];
let harness: EngineHarness;

/**
 * The applier's DynamoDB requests for one apply order that finds its target healthy: the fencing read, the inventory
 * write, the still-wanted read, and the target's completion (target + step tally). docs/store.md explains each.
 */
const applierRequestsPerTarget = 5;

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '90' });
  const kubeconfigs = inject('clusterKubeconfigs');
  for (const name of clusters) await harness.registry.join({ name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8') });
});
afterAll(async () => {
  for (const name of clusters) {
    await harness?.cluster(name).delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }).catch(() => {});
  }
  await harness?.stop();
});

describe('DynamoDB requests of the applier per target', () => {
  it(`a first deploy to three clusters costs each target at most ${applierRequestsPerTarget} DynamoDB requests in the applier`, async () => {
    const document = await seedDocument('basic', namespace);
    document.spec.policies[0].properties.clusters = clusters;
    const status = await harness.deploy(document);
    expect(status.workflow?.steps.map((s) => [s.name, s.phase])).toEqual([['deploy-beijing-clusters', 'succeeded']]);
    // Healthy within the inline wait: no re-check message, whose requests would be counted here too.
    expect(status.services.map((s) => [s.cluster, s.healthy])).toEqual(clusters.map((cluster) => [cluster, true]));

    const { store } = await import('../../../functions/runtime.ts');
    const [run] = await store.runs.listForApplication(namespace, document.metadata.name);
    const usage = await store.usage.get(run!.runId);
    const perTarget = new Map(usage.targets.map(({ target, usage: used }) => [target.cluster, used.dynamodbRequests]));
    const targets = await store.targets.listForRun(run!.runId);
    const timeToFinish = targets.map((t) => `${t.cluster} ${Date.parse(t.finishedAt!) - Date.parse(t.createdAt)} ms`).join(', ');
    console.log(`applier DynamoDB requests per target: ${JSON.stringify(Object.fromEntries(perTarget))}; whole run (planner too) per target: ${(usage.total.dynamodbRequests / clusters.length).toFixed(1)}; registered -> finished: ${timeToFinish}`);
    // A rollout slower than the inline wait adds a re-check's requests: that would be a slow machine, not a new request.
    expect(targets.map((t) => [t.cluster, t.attempts])).toEqual(targets.map((t) => [t.cluster, 0]));
    expect([...perTarget.keys()].sort()).toEqual(clusters);
    for (const cluster of clusters) expect(perTarget.get(cluster), cluster).toBeLessThanOrEqual(applierRequestsPerTarget);
  });
});
