// Status is never frozen at deploy time: the scheduled refresh reads health again from the clusters, and the drift
// schedule applies the current revision again (KubeVela #6639 is the complaint this answers).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lambdaContext } from '../../../local/lambda-context.ts';
import { readyReplicas, seedDocument, startEngineHarness, type EngineHarness } from './engine-harness.ts';

const namespace = `refresh-${Date.now().toString(36)}`;
let harness: EngineHarness;
let runScheduled: (task: 'refresh' | 'drift') => Promise<unknown>;

beforeAll(async () => {
  harness = await startEngineHarness();
  await harness.registry.join({ name: 'beijing-1', kubeconfig: await readFile(inject('clusterKubeconfigs')['beijing-1']!, 'utf8') });
  await harness.registry.join({ name: 'beijing-2', kubeconfig: await readFile(inject('clusterKubeconfigs')['beijing-2']!, 'utf8') });
  const status = await import('../../../functions/refresh.ts');
  runScheduled = (task) => (status.handler as unknown as (e: unknown, c: unknown) => Promise<unknown>)({ task }, lambdaContext('status', 60_000));
});
afterAll(() => harness?.stop());

describe('scheduled health refresh and drift correction', () => {
  it('shows a hand-made change at the next refresh and undoes it at the next drift correction', async () => {
    const deployed = await harness.deploy(await seedDocument('basic', namespace));
    expect(deployed.about.status).toBe('running');
    const beijing1 = harness.cluster('beijing-1');

    // Someone deletes the gateway's Service and scales the Deployment by hand in beijing-1.
    await beijing1.delete({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello-world-server', namespace } });
    const manual = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello-world-server', namespace }, spec: { replicas: 1 } };
    await manualApply(manual);
    await eventually(async () => (await readyReplicas(beijing1, namespace, 'hello-world-server')) === 1);

    await runScheduled('refresh');
    const stale = await harness.waitFor(namespace, 'example-app', (s) => s.services.some((svc) => svc.cluster === 'beijing-1' && !svc.healthy));
    expect(stale.about.status).toBe('unhealthy');
    const service = stale.services.find((s) => s.cluster === 'beijing-1');
    expect(service?.traits.find((t) => t.type === 'gateway')).toMatchObject({ healthy: false });
    expect(stale.services.find((s) => s.cluster === 'beijing-2')).toMatchObject({ healthy: true, message: 'Ready:3/3' });

    await runScheduled('drift');
    await eventually(async () => (await readyReplicas(beijing1, namespace, 'hello-world-server')) === 3);
    await runScheduled('refresh');
    const healed = await harness.waitFor(namespace, 'example-app', (s) => s.about.status === 'running');
    expect(healed.services.map((s) => [s.cluster, s.healthy, s.message])).toEqual([
      ['beijing-1', true, 'Ready:3/3'],
      ['beijing-2', true, 'Ready:3/3'],
    ]);
    expect(await beijing1.read({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello-world-server', namespace } })).toBeDefined();
  });
});

/** A change made outside Flotilla: server-side apply under another field manager, taking the field over. */
async function manualApply(object: object): Promise<void> {
  const { KubeConfig, KubernetesObjectApi, PatchStrategy } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')['beijing-1']!);
  await KubernetesObjectApi.makeApiClient(kc).patch(object as never, undefined, undefined, 'someone-by-hand', true, PatchStrategy.ServerSideApply);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
