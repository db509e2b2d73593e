// At-least-once delivery: the seed story again with every SQS batch handed to its function twice. It must end in the
// same state, with one run per revision and each step finished once.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readyReplicas, seedDocument, startEngineHarness, type EngineHarness } from './engine-harness.ts';

const namespace = `twice-${Date.now().toString(36)}`;
let harness: EngineHarness;

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '90' }, { duplicateDeliveries: true });
  const kubeconfigs = inject('clusterKubeconfigs');
  for (const name of ['beijing-1', 'beijing-2', 'us-west-1']) {
    await harness.registry.join({ name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8'), labels: name === 'us-west-1' ? { provider: 'AWS' } : {} });
  }
});
afterAll(() => harness?.stop());

describe('every SQS message delivered twice', () => {
  it('basic, intermediate and advanced end in the same state as with single delivery', async () => {
    for (const file of ['basic', 'intermediate'] as const) {
      expect((await harness.deploy(await seedDocument(file, namespace))).about.status).toBe('running');
    }
    const status = await harness.deploy(await seedDocument('advanced', namespace));
    expect(status.about.status).toBe('running');
    expect(status.workflow?.steps.map((s) => [s.name, s.phase])).toEqual([
      ['deploy-beijing', 'succeeded'],
      ['deploy-aws', 'succeeded'],
    ]);
    expect(status.services.map((s) => [s.cluster, s.message])).toEqual([
      ['beijing-1', 'Ready:3/3'],
      ['beijing-2', 'Ready:3/3'],
      ['us-west-1', 'Ready:5/5'],
    ]);
    expect(await readyReplicas(harness.cluster('us-west-1'), namespace, 'hello-world-server')).toBe(5);
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'hello-world-server')).toBe(3);

    const { store } = await import('../../../functions/runtime.ts');
    const runs = await store.runs.listForApplication(namespace, 'example-app');
    expect(runs.map((r) => r.revisionName).sort()).toEqual(['example-app-v1', 'example-app-v2', 'example-app-v3']);
    for (const run of runs) {
      expect(run.phase).toBe('succeeded');
      for (const step of run.steps) {
        const tally = await store.targets.tally(run.runId, step.id);
        expect(tally?.finished.size).toBe(tally?.expected);
        expect(tally?.failed.size).toBe(0);
      }
    }
  });

  it('a target waiting for health keeps one chain of checks, however often its messages are delivered', async () => {
    const waitingIn = `${namespace}-wait`;
    // No pods may start in the namespace, so the target waits for health for as long as the test looks.
    const kc = new KubeConfig();
    kc.loadFromFile(inject('clusterKubeconfigs')['beijing-1']!);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: waitingIn } } });
    await core.createNamespacedResourceQuota({ namespace: waitingIn, body: { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } } });
    const document = await seedDocument('basic', waitingIn);
    document.spec.policies[0].properties.clusters = ['beijing-1'];
    const { name } = await harness.submit(document);
    await harness.waitFor(waitingIn, name, (s) => s.services.some((service) => service.message.includes('Ready:0/3')));
    await sleep(20_000);

    const { store } = await import('../../../functions/runtime.ts');
    const [run] = await store.runs.listForApplication(waitingIn, name);
    const [target] = await store.targets.listForRun(run!.runId);
    // One chain backs off 1, 2, 4, 8 s: about six checks in 25 s. Chains that doubled with every duplicated delivery
    // would have made hundreds.
    expect(target?.phase).toBe('applying');
    expect(target?.attempts).toBeGreaterThanOrEqual(3);
    expect(target?.attempts).toBeLessThanOrEqual(8);
    await core.deleteNamespace({ name: waitingIn });
  });
});
