// The seed article's story driven straight through the workflow engine (planner -> SQS -> applier -> clusters), with
// every result read back from the member clusters themselves.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renderStatusText } from '../../../lib/core/status/render-status-text.ts';
import { ingressAddress } from '../../../devenv/clusters/kwok.ts';
import { readyReplicas, seedDocument, startEngineHarness, type EngineHarness } from './engine-harness.ts';

const namespace = `engine-seed-${Date.now().toString(36)}`;
let harness: EngineHarness;

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '90' });
  const kubeconfigs = inject('clusterKubeconfigs');
  for (const name of ['beijing-1', 'beijing-2', 'us-west-1']) {
    await harness.registry.join({ name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8') });
  }
});
afterAll(() => harness?.stop());

describe('the seed story through the workflow engine', () => {
  it('basic.yaml: deploy-beijing-clusters succeeds, two services Ready:3/3 with the gateway message', async () => {
    const status = await harness.deploy(await seedDocument('basic', namespace));
    expect(status.about.status).toBe('running');
    expect(status.workflow).toMatchObject({ mode: 'DAG', finished: true, suspend: false, terminated: false });
    expect(status.workflow?.steps.map((s) => [s.name, s.phase])).toEqual([['deploy-beijing-clusters', 'succeeded']]);
    expect(status.services.map((s) => [s.cluster, s.healthy, s.message])).toEqual([
      ['beijing-1', true, 'Ready:3/3'],
      ['beijing-2', true, 'Ready:3/3'],
    ]);
    const gateway = status.services[0]?.traits.find((t) => t.type === 'gateway');
    expect(gateway?.message).toBe(`Visiting URL: testsvc-mc.example.com, IP: ${ingressAddress('beijing-1')}`);
    expect(renderStatusText(status)).toContain('    Healthy Ready:3/3\n');
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'hello-world-server')).toBe(3);
    expect(await readyReplicas(harness.cluster('beijing-2'), namespace, 'hello-world-server')).toBe(3);
    expect(await readyReplicas(harness.cluster('us-west-1'), namespace, 'hello-world-server')).toBeUndefined();
    expect(status.requests?.dynamodb).toBeGreaterThan(0);
    expect(status.requests?.sqs).toBeGreaterThan(0);
  });

  it('intermediate.yaml after labelling us-west-1 provider=AWS: us-west-1 is added by its label', async () => {
    await harness.registry.addLabels('us-west-1', { provider: 'AWS' });
    const status = await harness.deploy(await seedDocument('intermediate', namespace));
    expect(status.about.status).toBe('running');
    expect(status.workflow?.steps.map((s) => s.name)).toEqual(['deploy-beijing-clusters', 'deploy-topology-aws']);
    expect(status.services.map((s) => [s.cluster, s.message])).toEqual([
      ['beijing-1', 'Ready:3/3'],
      ['beijing-2', 'Ready:3/3'],
      ['us-west-1', 'Ready:3/3'],
    ]);
    expect(await readyReplicas(harness.cluster('us-west-1'), namespace, 'hello-world-server')).toBe(3);
  });

  it('advanced.yaml: deploy-beijing then deploy-aws; us-west-1 Ready:5/5 while Beijing stays 3/3', async () => {
    const status = await harness.deploy(await seedDocument('advanced', namespace));
    expect(status.workflow).toMatchObject({ mode: 'StepByStep', finished: true });
    const steps = status.workflow?.steps ?? [];
    expect(steps.map((s) => [s.name, s.phase])).toEqual([
      ['deploy-beijing', 'succeeded'],
      ['deploy-aws', 'succeeded'],
    ]);
    expect(status.services.find((s) => s.cluster === 'us-west-1')?.message).toBe('Ready:5/5');
    expect(await readyReplicas(harness.cluster('us-west-1'), namespace, 'hello-world-server')).toBe(5);
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'hello-world-server')).toBe(3);
    expect(await readyReplicas(harness.cluster('beijing-2'), namespace, 'hello-world-server')).toBe(3);
  });

  it('GC: dropping beijing-2 from the topology deletes its objects there after the run succeeds; the others stay', async () => {
    const document = await seedDocument('advanced', namespace);
    document.spec.policies[0].properties.clusters = ['beijing-1'];
    const status = await harness.deploy(document);
    expect(status.about.status).toBe('running');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await readyReplicas(harness.cluster('beijing-2'), namespace, 'hello-world-server')) !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await readyReplicas(harness.cluster('beijing-2'), namespace, 'hello-world-server')).toBeUndefined();
    const service = await harness.cluster('beijing-2').read({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello-world-server', namespace } });
    expect(service).toBeUndefined();
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'hello-world-server')).toBe(3);
    expect(await readyReplicas(harness.cluster('us-west-1'), namespace, 'hello-world-server')).toBe(5);
  });
});
