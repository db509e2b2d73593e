// The seed story end to end through the HTTP API of `npm start` (embedded dynalite + fauxqs), with three real member
// clusters, reading results back from the clusters themselves.
import { KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { ingressAddress } from '../../devenv/clusters/kwok.ts';
import { connectCluster } from '../../lib/adapters/kubernetes/cluster-client.ts';
import { readyReplicas, seedDocument } from '../integration/engine/engine-harness.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';

const namespace = `http-seed-${Date.now().toString(36)}`;
let plane: ControlPlane;

function cluster(name: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')[name]!);
  return connectCluster(kc, { policy: localEndpointPolicy });
}

async function up(file: 'basic' | 'intermediate' | 'advanced'): Promise<any> {
  const submitted = await call(plane, 'POST', '/applications', stringify(await seedDocument(file, namespace)));
  expect(submitted.status).toBe(202);
  const revision: string = submitted.body.revision;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const status = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/status`);
    if (status.body?.workflow?.revision === revision && status.body.workflow.finished) return status.body;
    if (Date.now() > deadline) throw new Error(`workflow did not finish: ${status.text}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

beforeAll(async () => {
  plane = await startControlPlane({ env: { DEFAULT_STEP_TIMEOUT_SECONDS: '90' } });
  const kubeconfigs = inject('clusterKubeconfigs');
  for (const name of ['beijing-1', 'beijing-2', 'us-west-1']) {
    const joined = await call(plane, 'POST', '/clusters', { name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8') });
    expect(joined.status, joined.text).toBe(201);
  }
});
afterAll(async () => {
  await plane?.stop();
});

describe('the seed story over HTTP against npm start', () => {
  it('basic -> labels -> intermediate -> advanced, read back from the clusters', async () => {
    const basic = await up('basic');
    expect(basic.about.status).toBe('running');
    expect(basic.workflow.steps.map((s: any) => [s.name, s.phase])).toEqual([['deploy-beijing-clusters', 'succeeded']]);
    expect(basic.services.map((s: any) => [s.cluster, s.healthy, s.message])).toEqual([
      ['beijing-1', true, 'Ready:3/3'],
      ['beijing-2', true, 'Ready:3/3'],
    ]);
    const text = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/status`, undefined, { accept: 'text/plain' });
    expect(text.text).toContain(`✅ gateway: Visiting URL: testsvc-mc.example.com, IP: ${ingressAddress('beijing-2')}`);
    expect(text.text).toContain('    Healthy Ready:3/3\n');

    const labelled = await call(plane, 'POST', '/clusters/us-west-1/labels', { labels: { provider: 'AWS' } });
    expect(labelled.status, labelled.text).toBe(200);

    const intermediate = await up('intermediate');
    expect(intermediate.services.map((s: any) => [s.cluster, s.message])).toEqual([
      ['beijing-1', 'Ready:3/3'],
      ['beijing-2', 'Ready:3/3'],
      ['us-west-1', 'Ready:3/3'],
    ]);

    const advanced = await up('advanced');
    expect(advanced.workflow.mode).toBe('StepByStep');
    expect(advanced.workflow.steps.map((s: any) => [s.name, s.phase])).toEqual([
      ['deploy-beijing', 'succeeded'],
      ['deploy-aws', 'succeeded'],
    ]);
    expect(await readyReplicas(cluster('us-west-1'), namespace, 'hello-world-server')).toBe(5);
    expect(await readyReplicas(cluster('beijing-1'), namespace, 'hello-world-server')).toBe(3);
    expect(await readyReplicas(cluster('beijing-2'), namespace, 'hello-world-server')).toBe(3);

    // What the advanced run cost, per target in step order, priced: the run total holds every target's share and more.
    const deadline = Date.now() + 30_000;
    let cost: any;
    for (;;) {
      cost = (await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/status`)).body.cost;
      if (cost?.targets.length === 3 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(cost.targets.map((t: any) => [t.step, t.cluster])).toEqual([
      ['deploy-beijing', 'beijing-1'],
      ['deploy-beijing', 'beijing-2'],
      ['deploy-aws', 'us-west-1'],
    ]);
    for (const target of cost.targets) {
      expect(target.usage.dynamodbRequests).toBeGreaterThan(0);
      expect(target.usage.lambdaGbSeconds).toBeGreaterThan(0);
      expect(target.usd.total).toBeGreaterThan(0);
    }
    const sum = (field: string) => cost.targets.reduce((total: number, t: any) => total + t.usage[field], 0);
    expect(cost.run.usage.dynamodbRequests).toBeGreaterThan(sum('dynamodbRequests'));
    expect(cost.run.usage.lambdaGbSeconds).toBeGreaterThan(sum('lambdaGbSeconds'));
    expect(cost.run.usd.total).toBeGreaterThan(cost.targets.reduce((total: number, t: any) => total + t.usd.total, 0));
    expect(cost.prices).toMatchObject({ region: 'us-east-1', asOf: '2024-11-01' });
  });

  it('SIGTERM stops npm start cleanly, and a restart keeps clusters, applications and the admin token', async () => {
    expect(await plane.stop('SIGTERM')).toBe(0);
    const firstToken = plane.token;
    plane = await startControlPlane({ dataDir: plane.dataDir });
    expect(plane.token).toBe(firstToken);
    const clusters = await call(plane, 'GET', '/clusters');
    expect(clusters.status).toBe(200);
    expect(JSON.stringify(clusters.body)).toContain('us-west-1');
    const status = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/status`);
    expect(status.status).toBe(200);
    expect(status.body.about.name).toBe('example-app');
    expect(status.body.workflow.revision).toBe('example-app-v3');
  });
});
