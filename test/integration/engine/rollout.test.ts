// Rollout waves on moto and the real member clusters, with every SQS batch handed to its function twice: each cluster
// is dispatched once and the rollout ends as with single delivery; a wave that cannot become healthy with
// `onFailure: rollback` fails the run and the previous succeeded revision runs again, read back from the clusters.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '../../../devenv/process.ts';
import { readyReplicas, startEngineHarness, type EngineHarness } from './engine-harness.ts';

const suffix = Date.now().toString(36);
const clusters = ['beijing-1', 'beijing-2', 'us-west-1'];
const namespaces = { twice: `roll-twice-${suffix}`, back: `roll-back-${suffix}` };
let harness: EngineHarness;

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '90' }, { duplicateDeliveries: true });
  const kubeconfigs = inject('clusterKubeconfigs');
  for (const name of clusters) await harness.registry.join({ name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8'), labels: {} });
});

afterAll(async () => {
  await harness?.stop();
  for (const name of clusters) {
    const kc = new KubeConfig();
    kc.loadFromFile(inject('clusterKubeconfigs')[name]!);
    for (const namespace of Object.values(namespaces)) await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace }).catch(() => {});
  }
});

/** A webservice (a Deployment, judged by its health rule) with `replicas`, on the three clusters in waves. */
function application(namespace: string, replicas: number, rollout: Record<string, unknown>) {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'waved', namespace },
    spec: {
      components: [{ name: 'web', type: 'webservice', properties: { image: 'crccheck/hello-world' }, traits: [{ type: 'scaler', properties: { replicas } }] }],
      policies: [{ type: 'topology', name: 'all', properties: { clusters, namespace, createNamespace: true } }],
      workflow: { steps: [{ name: 'ship', type: 'deploy', properties: { policies: ['all'], parallelism: 1, rollout } }] },
    },
  };
}

async function specReplicas(cluster: string, namespace: string): Promise<number | undefined> {
  const live = (await harness.cluster(cluster).read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace } })) as { spec: { replicas: number } } | undefined;
  return live?.spec.replicas;
}

async function generation(cluster: string, namespace: string): Promise<number | undefined> {
  const live = (await harness.cluster(cluster).read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace } })) as { metadata: { generation: number } } | undefined;
  return live?.metadata.generation;
}

describe('rollout waves with every message delivered twice', () => {
  it('dispatches each cluster once, one at a time, and ends with every wave healthy', async () => {
    const status = await harness.deploy(application(namespaces.twice, 1, { waves: ['1', '100%'] }));
    expect(status.workflow?.steps.map((s) => [s.name, s.phase])).toEqual([['ship', 'succeeded']]);
    expect(status.workflow?.steps[0]?.waves).toEqual([
      { wave: 1, phase: 'healthy', clusters: [{ name: 'beijing-1', state: 'healthy' }] },
      { wave: 2, phase: 'healthy', clusters: [{ name: 'beijing-2', state: 'healthy' }, { name: 'us-west-1', state: 'healthy' }] },
    ]);
    const { store } = await import('../../../functions/runtime.ts');
    const [run] = await store.runs.listForApplication(namespaces.twice, 'waved');
    const waves = run!.steps[0]!.rollout!.waves;
    expect(waves.map((w) => w.dispatched)).toEqual([['beijing-1'], ['beijing-2', 'us-west-1']]);
    // parallelism 1: the second wave's clusters went one after the other, each after the previous finished.
    const targets = await store.targets.listForRun(run!.runId);
    const finished = (cluster: string) => Date.parse(targets.find((t) => t.cluster === cluster)!.finishedAt!);
    expect(finished('beijing-1')).toBeLessThanOrEqual(finished('beijing-2'));
    expect(finished('beijing-2')).toBeLessThanOrEqual(finished('us-west-1'));
    expect(targets.every((t) => !t.message?.startsWith('order lost')), JSON.stringify(targets.map((t) => t.message))).toBe(true);
    for (const cluster of clusters) expect(await readyReplicas(harness.cluster(cluster), namespaces.twice, 'web')).toBe(1);
  });

  it('onFailure rollback: the first wave cannot become healthy (a quota holds its second pod back), the run fails and the previous revision runs again', async () => {
    const namespace = namespaces.back;
    const rollout = { waves: ['1', '100%'], waveTimeout: '8s', onFailure: 'rollback' };
    const first = await harness.deploy(application(namespace, 1, rollout));
    expect(first.workflow?.steps[0]?.phase).toBe('succeeded');

    // beijing-1's namespace may hold no second pod, so scaling to 2 never becomes healthy there. The quota counts
    // only once its controller has recorded what is used.
    const kc = new KubeConfig();
    kc.loadFromFile(inject('clusterKubeconfigs')['beijing-1']!);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'one-pod' }, spec: { hard: { pods: '1' } } } });
    const counted = await pollUntil(async () => (await core.readNamespacedResourceQuota({ namespace, name: 'one-pod' })).status?.used?.pods === '1', 30_000, 250);
    expect(counted).toBe(true);

    const { name, revisionName } = await harness.submit(application(namespace, 2, rollout));
    expect(revisionName).toBe('waved-v2');
    const { store } = await import('../../../functions/runtime.ts');
    // The status shows the newest run, which soon is the rollback's; the failed run is read from the store.
    let runs = await store.runs.listForApplication(namespace, name);
    const deadline = Date.now() + 90_000;
    while (!(runs.length === 3 && runs[0]!.phase === 'succeeded') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      runs = await store.runs.listForApplication(namespace, name);
    }
    expect(runs.map((r) => [r.revisionName, r.phase]), JSON.stringify(runs.map((r) => r.steps))).toEqual([
      ['waved-v1', 'succeeded'],
      ['waved-v2', 'failed'],
      ['waved-v1', 'succeeded'],
    ]);
    const failedStep = runs[1]!.steps[0]!;
    expect(failedStep.phase).toBe('failed');
    expect(failedStep.message).toMatch(/^wave 1 of 2 failed: 1 of 1 clusters failed \(beijing-1\), more than maxUnavailableClusters 0; rolling back to the previous succeeded revision: waved-v1 \(run \w+\)$/);
    expect(failedStep.rollout?.waves.map((w) => [w.phase, w.dispatched])).toEqual([['failed', ['beijing-1']], ['pending', []]]);
    // The second wave was never sent: its targets never applied, and its clusters' Deployments never changed spec
    // (generation 1: v1, then v1 again), while beijing-1's went v1, v2, v1.
    const v2Targets = await store.targets.listForRun(runs[1]!.runId);
    expect(v2Targets.filter((t) => t.cluster !== 'beijing-1').map((t) => [t.cluster, t.phase, t.attempts])).toEqual([
      ['beijing-2', 'pending', 0],
      ['us-west-1', 'pending', 0],
    ]);
    for (const cluster of ['beijing-2', 'us-west-1']) expect(await generation(cluster, namespace), cluster).toBe(1);
    expect(await generation('beijing-1', namespace)).toBe(3);
    const back = await harness.status(namespace, name);
    expect(back?.workflow?.revision).toBe('waved-v1');
    expect(back?.workflow?.steps[0]?.phase).toBe('succeeded');
    expect((await store.applications.get(namespace, name))?.currentRevision).toBe(1);
    for (const cluster of clusters) expect(await specReplicas(cluster, namespace), cluster).toBe(1);
  });
});
