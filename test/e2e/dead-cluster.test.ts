// A member cluster that is down (its kube-apiserver killed by PID, a dedicated extra cluster) or never registered:
// a topology naming an unknown cluster is refused at submit; a registered cluster that failed its probe is placed and
// waits as its own target while the healthy cluster deploys (by name and by label selector), and garbage collection
// never deletes the application there; deleting waits with the reason, and `force` finishes in bounded time with the
// orphans listed. Against `npm start` over HTTP, read back from the clusters.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { clustersDown, clustersUp } from '../../devenv/clusters/kwok.ts';
import { pollUntil, processesMatching } from '../../devenv/process.ts';
import { connectCluster } from '../../lib/adapters/kubernetes/cluster-client.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';

const suffix = Date.now().toString(36);
const dark = `dark-${suffix}`;
const named = `named-${suffix}`;
const selected = `selected-${suffix}`;
let plane: ControlPlane;
let darkKubeconfig: string;

beforeAll(async () => {
  plane = await startControlPlane({ env: { DEFAULT_STEP_TIMEOUT_SECONDS: '120', FLOTILLA_SWEEP_SECONDS: '5', FLOTILLA_REFRESH_SECONDS: '2', ...(process.env.DEBUG_DEAD ? { FLOTILLA_QUIET: '0' } : {}) } });
  const [up] = await clustersUp([dark]);
  darkKubeconfig = up!.kubeconfig;
  await join('beijing-1', inject('clusterKubeconfigs')['beijing-1']!, { provider: 'AWS' });
  await join(dark, darkKubeconfig, { provider: 'AWS' });
});

afterAll(async () => {
  await plane?.stop('SIGKILL');
  if (process.env.DEBUG_DEAD) (await import('node:fs')).writeFileSync('/tmp/wt-te-plane.log', plane.output());
  await clustersDown([dark]);
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')['beijing-1']!);
  const core = kc.makeApiClient(CoreV1Api);
  for (const name of [named, selected]) await core.deleteNamespace({ name }).catch(() => {});
});

async function join(name: string, kubeconfigFile: string, labels: Record<string, string>): Promise<void> {
  const joined = await call(plane, 'POST', '/clusters', { name, kubeconfig: await readFile(kubeconfigFile, 'utf8'), labels });
  expect(joined.status, joined.text).toBe(201);
}

type Topology = { clusters: string[] } | { clusterLabelSelector: Record<string, string> };

/** One Deployment (raw k8s-objects), its namespace created in each cluster the topology selects. */
function application(namespace: string, topology: Topology, options: { replicas?: number; timeout?: string } = {}) {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'crccheck/hello-world' }] } },
    },
  };
  return stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'dark-app', namespace },
    spec: {
      components: [{ name: 'web', type: 'k8s-objects', properties: { objects: [deployment] } }],
      policies: [{ type: 'topology', name: 'here', properties: { ...topology, namespace, createNamespace: true } }],
      workflow: { steps: [{ name: 'ship', type: 'deploy', ...(options.timeout ? { timeout: options.timeout } : {}), properties: { policies: ['here'] } }] },
    },
  });
}

async function submit(document: string): Promise<string> {
  const submitted = await call(plane, 'POST', '/applications', document);
  expect(submitted.status, submitted.text).toBe(202);
  return submitted.body.revision;
}

const statusOf = async (namespace: string) => call(plane, 'GET', `/namespaces/${namespace}/applications/dark-app/status`);

async function finished(namespace: string, revision: string, timeoutMs = 90_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await statusOf(namespace);
    if (status.body?.workflow?.revision === revision && status.body.workflow.finished) return status.body;
    if (Date.now() > deadline) throw new Error(`workflow of ${revision} did not finish: ${status.text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function replicas(kubeconfigFile: string, namespace: string): Promise<number | undefined> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigFile);
  const live = (await connectCluster(kc, { policy: localEndpointPolicy }).read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace } })) as
    | { spec: { replicas?: number } }
    | undefined;
  return live?.spec.replicas;
}

const beijing1 = () => inject('clusterKubeconfigs')['beijing-1']!;

describe('a member cluster that is down or unknown', () => {
  it('a topology naming a cluster that is not registered is refused at submit with the clusters that exist; nothing is stored', async () => {
    const refused = await call(plane, 'POST', '/applications', application(`unknown-${suffix}`, { clusters: ['beijing-1', `nowhere-${suffix}`] }));
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.details).toEqual([
      {
        path: 'spec.policies[0].properties.clusters[1]',
        message: `no cluster named nowhere-${suffix} is registered; registered clusters: beijing-1, ${dark}`,
      },
    ]);
    expect((await statusOf(`unknown-${suffix}`)).status).toBe(404);
  });

  it('a selector app deployed while the cluster answers holds both clusters', async () => {
    const revision = await submit(application(selected, { clusterLabelSelector: { provider: 'AWS' } }));
    const status = await finished(selected, revision);
    expect(status.workflow.steps.map((s: any) => s.phase)).toEqual(['succeeded']);
    expect(await replicas(beijing1(), selected)).toBe(1);
    expect(await replicas(darkKubeconfig, selected)).toBe(1);

    const [apiserver] = (await processesMatching('kube-apiserver')).filter((p) => p.cmdline.includes(dark));
    expect(apiserver).toBeDefined();
    process.kill(apiserver!.pid, 'SIGKILL');
    const probed = await call(plane, 'POST', `/clusters/${dark}/probe`);
    expect(probed.body.accepted, probed.text).toBe(false);
  });

  it('named with a healthy cluster, a cluster that failed its probe waits as its own target; the healthy one deploys at once', async () => {
    const submittedAt = Date.now();
    const revision = await submit(application(named, { clusters: [dark, 'beijing-1'] }, { timeout: '20s' }));
    expect(await pollUntil(async () => (await replicas(beijing1(), named)) === 1, 15_000, 250)).toBe(true);
    expect((Date.now() - submittedAt) / 1000).toBeLessThan(15);
    const waiting = (await statusOf(named)).body;
    expect(waiting.workflow.steps[0].phase, JSON.stringify(waiting.workflow)).toBe('running');
    expect(waiting.workflow.steps[0].message).toContain(`cluster ${dark}`);
    expect(waiting.workflow.steps[0].message).not.toContain('is registered');
    // While the step waits, the dead cluster is in Services with its reason, and the healthy one's reading stays fresh.
    expect(waiting.services.find((s: any) => s.cluster === dark), JSON.stringify(waiting.services)).toMatchObject({ healthy: false, message: expect.stringContaining(dark) });
    const checkedAt = () => statusOf(named).then((answer) => answer.body.services.find((s: any) => s.cluster === 'beijing-1')?.checkedAt as string | undefined);
    const firstReading = await checkedAt();
    expect(firstReading).toBeDefined();
    expect(await pollUntil(async () => ((await checkedAt()) ?? '') > firstReading!, 10_000, 250)).toBe(true);
    expect((await statusOf(named)).body.workflow.steps[0].phase).toBe('running');

    const status = await finished(named, revision, 60_000);
    expect(status.workflow.steps[0].phase).toBe('failed');
    expect(status.workflow.steps[0].message).toContain(`cluster ${dark}`);
    expect(status.services.filter((s: any) => s.healthy).map((s: any) => s.cluster)).toEqual(['beijing-1']);
  });

  it('by label selector, the cluster that failed its probe is still placed: the step waits on it and nothing is removed there', async () => {
    const revision = await submit(application(selected, { clusterLabelSelector: { provider: 'AWS' } }, { replicas: 2, timeout: '20s' }));
    const deployed = await pollUntil(async () => (await replicas(beijing1(), selected)) === 2, 15_000, 250);
    expect(deployed, (await statusOf(selected)).text).toBe(true);
    const status = await finished(selected, revision, 60_000);
    expect(status.workflow.steps[0].phase, JSON.stringify(status.workflow)).toBe('failed');
    expect(status.workflow.steps[0].message).toContain(`cluster ${dark}`);
    // A failed run collects no garbage: no removal of the application from the cluster that was down is queued.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await statusOf(selected)).body.cleanup).toBeUndefined();
  });

  it('delete waits on the dead cluster with the reason; then --force finishes within a minute and lists what was left where', async () => {
    expect((await call(plane, 'DELETE', `/namespaces/${selected}/applications/dark-app`)).status).toBe(202);
    expect(await pollUntil(async () => (await replicas(beijing1(), selected)) === undefined, 30_000, 250)).toBe(true);
    const cleanup = await pollUntil(async () => ((await statusOf(selected)).body?.cleanup ?? []).some((c: any) => c.cluster === dark), 30_000, 250);
    const deleting = (await statusOf(selected)).body;
    expect(cleanup, JSON.stringify(deleting)).toBe(true);
    expect(deleting.about.status).toBe('deleting');
    expect(deleting.cleanup.find((c: any) => c.cluster === dark).message).toContain(`from cluster ${dark}`);

    const forcedAt = Date.now();
    expect((await call(plane, 'DELETE', `/namespaces/${selected}/applications/dark-app?force=true`)).status).toBe(202);
    const gone = await pollUntil(async () => (await statusOf(selected)).status === 404, 60_000, 500);
    expect(gone, (await statusOf(selected)).text).toBe(true);
    console.log(`forced delete with ${dark} down: gone after ${((Date.now() - forcedAt) / 1000).toFixed(1)} s`);
    const orphans = await call(plane, 'GET', `/namespaces/${selected}/applications/dark-app/orphans`);
    expect(orphans.status, orphans.text).toBe(200);
    expect(orphans.body.orphans.map((o: any) => o.cluster)).toEqual([dark]);
    expect(orphans.body.orphans[0].resources).toContainEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: selected, name: 'web' });
    expect(orphans.body.orphans[0].reason).toContain(dark);
    expect(await replicas(beijing1(), selected)).toBeUndefined();

    // The other application too, straight away with force.
    expect((await call(plane, 'DELETE', `/namespaces/${named}/applications/dark-app?force=true`)).status).toBe(202);
    expect(await pollUntil(async () => (await statusOf(named)).status === 404, 60_000, 500)).toBe(true);
    expect(await replicas(beijing1(), named)).toBeUndefined();
  });
});
