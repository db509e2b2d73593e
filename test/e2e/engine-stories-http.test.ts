// The workflow engine's stories from issue 5, told through the HTTP API of `npm start` with three real clusters:
// a missing namespace, garbage collection when a cluster leaves the topology, a cluster that dies mid-deploy, and the
// seed story with every SQS message delivered twice.
import { KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { clustersDown, clustersUp } from '../../devenv/clusters/kwok.ts';
import { connectCluster } from '../../lib/adapters/kubernetes/cluster-client.ts';
import { readyReplicas, seedDocument } from '../integration/engine/engine-harness.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';

const suffix = Date.now().toString(36);
const planes: ControlPlane[] = [];
afterAll(async () => {
  await Promise.all(planes.map((plane) => plane.stop()));
});

function cluster(name: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')[name]!);
  return connectCluster(kc, { policy: localEndpointPolicy });
}

async function controlPlane(env: Record<string, string> = {}): Promise<ControlPlane> {
  const plane = await startControlPlane({ env: { DEFAULT_STEP_TIMEOUT_SECONDS: '90', ...env } });
  planes.push(plane);
  for (const name of ['beijing-1', 'beijing-2', 'us-west-1']) {
    const kubeconfig = await readFile(inject('clusterKubeconfigs')[name]!, 'utf8');
    const joined = await call(plane, 'POST', '/clusters', { name, kubeconfig, ...(name === 'us-west-1' ? { labels: { provider: 'AWS' } } : {}) });
    expect(joined.status, joined.text).toBe(201);
  }
  return plane;
}

/** `vela up` then wait: submits the document and polls status until this revision's workflow finished. */
async function up(plane: ControlPlane, document: unknown): Promise<any> {
  const submitted = await call(plane, 'POST', '/applications', stringify(document));
  expect(submitted.status, submitted.text).toBe(202);
  const { namespace, name, revision } = submitted.body;
  const deadline = Date.now() + 150_000;
  for (;;) {
    const status = await call(plane, 'GET', `/namespaces/${namespace}/applications/${name}/status`);
    if (status.body?.workflow?.revision === revision && status.body.workflow.finished) return status.body;
    if (Date.now() > deadline) throw new Error(`workflow did not finish: ${status.text}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('engine stories over HTTP', () => {
  it('a missing namespace fails the step naming the cluster; asking for its creation succeeds; dropping beijing-2 garbage-collects it there', async () => {
    const plane = await controlPlane();
    const namespace = `multi-cluster-${suffix}`;
    const document = await seedDocument('basic', namespace);
    delete document.spec.policies[0].properties.createNamespace;

    const failed = await up(plane, document);
    expect(failed.about.status).toBe('workflowFailed');
    expect(failed.workflow.steps[0].phase).toBe('failed');
    expect(failed.workflow.steps[0].message).toMatch(new RegExp(`cluster beijing-(1|2), namespace ${namespace}: .*namespaces "${namespace}" not found`));

    document.spec.policies[0].properties.createNamespace = true;
    const created = await up(plane, document);
    expect(created.about.status).toBe('running');
    expect(await readyReplicas(cluster('beijing-2'), namespace, 'hello-world-server')).toBe(3);

    document.spec.policies[0].properties.clusters = ['beijing-1'];
    const shrunk = await up(plane, document);
    expect(shrunk.services.map((s: any) => s.cluster)).toEqual(['beijing-1']);
    const deadline = Date.now() + 30_000;
    while ((await readyReplicas(cluster('beijing-2'), namespace, 'hello-world-server')) !== undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await readyReplicas(cluster('beijing-2'), namespace, 'hello-world-server')).toBeUndefined();
    expect(await readyReplicas(cluster('beijing-1'), namespace, 'hello-world-server')).toBe(3);
  });

  it('a cluster stopped mid-deploy: the others finish, its target fails after the step timeout naming it', async () => {
    const plane = planes[0]!;
    const [doomed] = await clustersUp([`stopped-${suffix}`]);
    const joined = await call(plane, 'POST', '/clusters', { name: doomed!.name, kubeconfig: await readFile(doomed!.kubeconfig, 'utf8') });
    expect(joined.status, joined.text).toBe(201);
    await clustersDown([doomed!.name]);
    const namespace = `stopped-${suffix}`;
    const document = await seedDocument('basic', namespace);
    document.spec.policies[0].properties.clusters = ['beijing-1', 'beijing-2', doomed!.name];
    document.spec.workflow = { steps: [{ name: 'deploy-all', type: 'deploy', timeout: '20s', properties: { policies: ['beijing-clusters'] } }] };

    const status = await up(plane, document);
    expect(status.workflow.steps[0].phase).toBe('failed');
    expect(status.workflow.steps[0].message).toContain(`cluster ${doomed!.name}`);
    expect(status.workflow.steps[0].message).toContain('timed out');
    expect(status.services.filter((s: any) => s.healthy).map((s: any) => s.cluster)).toEqual(['beijing-1', 'beijing-2']);
    expect(await readyReplicas(cluster('beijing-1'), namespace, 'hello-world-server')).toBe(3);
    expect((await call(plane, 'DELETE', `/clusters/${doomed!.name}?force=true`)).status).toBe(200);
  });

  it('with every SQS message delivered twice, the seed story ends in the same state', async () => {
    const plane = await controlPlane({ FLOTILLA_DUPLICATE_DELIVERIES: '1', FLOTILLA_PREFIX: `twice-${suffix}` });
    const namespace = `twice-http-${suffix}`;
    for (const file of ['basic', 'intermediate'] as const) expect((await up(plane, await seedDocument(file, namespace))).about.status).toBe('running');
    const advanced = await up(plane, await seedDocument('advanced', namespace));
    expect(advanced.workflow.steps.map((s: any) => [s.name, s.phase])).toEqual([
      ['deploy-beijing', 'succeeded'],
      ['deploy-aws', 'succeeded'],
    ]);
    expect(advanced.services.map((s: any) => [s.cluster, s.message])).toEqual([
      ['beijing-1', 'Ready:3/3'],
      ['beijing-2', 'Ready:3/3'],
      ['us-west-1', 'Ready:5/5'],
    ]);
    expect(await readyReplicas(cluster('us-west-1'), namespace, 'hello-world-server')).toBe(5);
    const revisions = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/revisions`);
    expect(revisions.text.match(/example-app-v\d/g)?.toSorted().filter((v, i, all) => all.indexOf(v) === i)).toEqual([
      'example-app-v1',
      'example-app-v2',
      'example-app-v3',
    ]);
  });
});
