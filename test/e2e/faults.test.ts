// Fault injection against `npm start` and real member clusters: the control plane killed with SIGKILL right after a
// submit and during a health wait, a member API server killed mid-deploy, and bursts of submits. Every fault is a real
// process killed by its PID; nothing stands in for it.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { clustersDown, clustersUp } from '../../devenv/clusters/kwok.ts';
import { processesMatching } from '../../devenv/process.ts';
import { connectCluster } from '../../lib/adapters/kubernetes/cluster-client.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';

const suffix = Date.now().toString(36);
const planes: ControlPlane[] = [];
const ownClusters: string[] = [];
afterAll(async () => {
  await Promise.all(planes.map((plane) => plane.stop('SIGKILL')));
  if (ownClusters.length > 0) await clustersDown(ownClusters);
});

function kubeConfig(name: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')[name]!);
  return kc;
}

async function start(dataDir?: string, env: Record<string, string> = {}): Promise<ControlPlane> {
  const plane = await startControlPlane({ ...(dataDir ? { dataDir } : {}), env: { DEFAULT_STEP_TIMEOUT_SECONDS: '120', FLOTILLA_SWEEP_SECONDS: '5', ...env } });
  planes.push(plane);
  return plane;
}

async function join(plane: ControlPlane, name: string, kubeconfigFile = inject('clusterKubeconfigs')[name]!): Promise<void> {
  const joined = await call(plane, 'POST', '/clusters', { name, kubeconfig: await readFile(kubeconfigFile, 'utf8') });
  expect(joined.status, joined.text).toBe(201);
}

/** One Deployment (raw k8s-objects) on the named clusters, with its own namespace created there. */
function application(namespace: string, clusters: string[], options: { replicas?: number; timeout?: string } = {}) {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'crccheck/hello-world' }] },
      },
    },
  };
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'fault-app', namespace },
    spec: {
      components: [{ name: 'web', type: 'k8s-objects', properties: { objects: [deployment] } }],
      policies: [{ type: 'topology', name: 'here', properties: { clusters, namespace, createNamespace: true } }],
      workflow: { steps: [{ name: 'ship', type: 'deploy', ...(options.timeout ? { timeout: options.timeout } : {}), properties: { policies: ['here'] } }] },
    },
  };
}

async function submit(plane: ControlPlane, document: unknown): Promise<{ namespace: string; name: string; revision: string }> {
  const submitted = await call(plane, 'POST', '/applications', stringify(document));
  expect(submitted.status, submitted.text).toBe(202);
  return submitted.body;
}

async function finished(plane: ControlPlane, namespace: string, revision: string, timeoutMs = 90_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await call(plane, 'GET', `/namespaces/${namespace}/applications/fault-app/status`);
    if (status.body?.workflow?.revision === revision && status.body.workflow.finished) return status.body;
    if (Date.now() > deadline) throw new Error(`workflow of ${revision} did not finish: ${status.text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function deployment(cluster: string, namespace: string): Promise<{ replicas?: number; readyReplicas?: number } | undefined> {
  const live = (await connectCluster(kubeConfig(cluster), { policy: localEndpointPolicy }).read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace } })) as
    | { spec: { replicas?: number }; status?: { readyReplicas?: number } }
    | undefined;
  return live ? { replicas: live.spec.replicas, readyReplicas: live.status?.readyReplicas ?? 0 } : undefined;
}

describe('faults', () => {
  it('kill -9 of the control plane right after a submit: restarted, the workflow finishes with no user action', async () => {
    const plane = await start();
    await join(plane, 'beijing-1');
    const namespace = `killed-submit-${suffix}`;
    const { revision } = await submit(plane, application(namespace, ['beijing-1']));
    expect(await plane.stop('SIGKILL')).toBeNull();

    const restarted = await start(plane.dataDir);
    const status = await finished(restarted, namespace, revision);
    expect(status.about.status).toBe('running');
    expect(await deployment('beijing-1', namespace)).toEqual({ replicas: 1, readyReplicas: 1 });
  });

  it('kill -9 during a health wait: restarted, the target is checked again and the workflow finishes', async () => {
    const plane = await start();
    await join(plane, 'beijing-2');
    const namespace = `killed-wait-${suffix}`;
    // A quota of no pods in the namespace keeps the Deployment at Ready:0/1, so the target waits for health until the
    // test lifts it.
    const core = kubeConfig('beijing-2').makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } } });
    const document = application(namespace, ['beijing-2']);
    document.spec.components = [{ name: 'web', type: 'webservice', properties: { image: 'crccheck/hello-world', port: 8000 } }] as never;
    const { revision } = await submit(plane, document);
    const waiting = async () => (await call(plane, 'GET', `/namespaces/${namespace}/applications/fault-app/status`)).body;
    const deadline = Date.now() + 30_000;
    while (!(await waiting())?.services?.some((s: any) => s.message?.includes('Ready:0/1'))) {
      if (Date.now() > deadline) throw new Error(`the target never started its health wait: ${JSON.stringify(await waiting())}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await plane.stop('SIGKILL')).toBeNull();
    await core.deleteNamespacedResourceQuota({ namespace, name: 'no-pods' });

    const restarted = await start(plane.dataDir);
    const status = await finished(restarted, namespace, revision);
    expect(status.about.status).toBe('running');
    expect(status.workflow.steps.map((s: any) => [s.name, s.phase])).toEqual([['ship', 'succeeded']]);
    expect(await deployment('beijing-2', namespace)).toEqual({ replicas: 1, readyReplicas: 1 });
  });

  it('a member API server killed mid-deploy: its target fails within the deadline and a few seconds, naming it; the others succeed', async () => {
    const plane = await start();
    const [doomed] = await clustersUp([`doomed-${suffix}`]);
    ownClusters.push(doomed!.name);
    await join(plane, 'beijing-1');
    await join(plane, doomed!.name, doomed!.kubeconfig);
    const namespace = `killed-member-${suffix}`;
    const [apiserver] = (await processesMatching('kube-apiserver')).filter((p) => p.cmdline.includes(doomed!.name));
    expect(apiserver).toBeDefined();
    process.kill(apiserver!.pid, 'SIGKILL');

    const submittedAt = Date.now();
    const { revision } = await submit(plane, application(namespace, ['beijing-1', doomed!.name], { timeout: '20s' }));
    const status = await finished(plane, namespace, revision, 60_000);
    const took = (Date.now() - submittedAt) / 1000;
    expect(status.workflow.steps[0].phase).toBe('failed');
    expect(status.workflow.steps[0].message).toContain(`cluster ${doomed!.name}`);
    // The planner's own deadline wake-up, not the applier's retries, ends the step: 20 s and a few seconds.
    expect(took).toBeGreaterThanOrEqual(19);
    expect(took).toBeLessThan(20 + 10);
    expect(status.services.filter((s: any) => s.healthy).map((s: any) => s.cluster)).toEqual(['beijing-1']);
    expect(await deployment('beijing-1', namespace)).toEqual({ replicas: 1, readyReplicas: 1 });
    expect((await call(plane, 'DELETE', `/clusters/${doomed!.name}?force=true`)).status).toBe(200);
  });

  it('20 back-to-back submits, five times: the last revision is what every cluster runs', async () => {
    const plane = await start();
    await join(plane, 'beijing-1');
    await join(plane, 'us-west-1');
    for (let trial = 1; trial <= 5; trial++) {
      const namespace = `burst-${trial}-${suffix}`;
      let last: { revision: string } | undefined;
      for (let replicas = 1; replicas <= 20; replicas++) last = await submit(plane, application(namespace, ['beijing-1', 'us-west-1'], { replicas }));
      const status = await finished(plane, namespace, last!.revision);
      expect(status.about.status, `trial ${trial}`).toBe('running');
      // Older runs may still be finishing their last orders when the newest run is done; none of them may apply.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      for (const cluster of ['beijing-1', 'us-west-1']) expect((await deployment(cluster, namespace))?.replicas, `trial ${trial}, ${cluster}`).toBe(20);
      // Keeps the simulated nodes' pod capacity for the other suites.
      expect((await call(plane, 'DELETE', `/namespaces/${namespace}/applications/fault-app`)).status).toBe(202);
    }
  });
});
