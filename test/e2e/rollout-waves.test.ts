// Waves inside a deploy step (docs/rollout.md) on four real clusters: the shared beijing-1, beijing-2, us-west-1 and a
// dedicated extra cluster labelled ring=canary, which `order` puts first. Against `npm start` over HTTP, read back from
// the clusters with client-node while the rollout runs: the second wave does not start until the first is healthy;
// approval suspends after each healthy wave and resume goes on; with `onFailure: rollback`, a second wave that cannot
// become healthy rolls back the two clusters the rollout reached, and the two it never reached are not touched (their
// Deployments' resourceVersion unchanged); a wave whose cluster cannot become healthy (its API server killed) pauses
// the rollout, naming the cluster, and the later waves' clusters are never touched.
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { clustersDown, clustersUp } from '../../devenv/clusters/kwok.ts';
import { pollUntil, processesMatching } from '../../devenv/process.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';

const suffix = Date.now().toString(36);
const canary = `canary-${suffix}`;
const shared = ['beijing-1', 'beijing-2', 'us-west-1'];
const namespaces = { gate: `waves-gate-${suffix}`, approval: `waves-approve-${suffix}`, back: `waves-back-${suffix}`, pause: `waves-pause-${suffix}` };
let plane: ControlPlane;
const kubeconfigs: Record<string, string> = {};

beforeAll(async () => {
  plane = await startControlPlane({ env: { DEFAULT_STEP_TIMEOUT_SECONDS: '180', FLOTILLA_SWEEP_SECONDS: '5', FLOTILLA_REFRESH_SECONDS: '5' } });
  const [up] = await clustersUp([canary]);
  kubeconfigs[canary] = up!.kubeconfig;
  for (const name of shared) kubeconfigs[name] = inject('clusterKubeconfigs')[name]!;
  await join(canary, { ring: 'canary' });
  for (const name of shared) await join(name, { ring: 'main' });
}, 180_000);

afterAll(async () => {
  await plane?.stop('SIGKILL');
  await clustersDown([canary]);
  for (const name of shared) {
    const core = kubeConfig(name).makeApiClient(CoreV1Api);
    for (const namespace of Object.values(namespaces)) await core.deleteNamespace({ name: namespace }).catch(() => {});
  }
});

function kubeConfig(cluster: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigs[cluster]!);
  return kc;
}

async function join(name: string, labels: Record<string, string>): Promise<void> {
  const joined = await call(plane, 'POST', '/clusters', { name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8'), labels });
  expect(joined.status, joined.text).toBe(201);
}

/** A webservice (a Deployment with 3 replicas, judged by its health rule) on all four clusters, in waves. */
function application(namespace: string, rollout: Record<string, unknown>, timeout = '150s', replicas = 3): string {
  return stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'waved', namespace },
    spec: {
      components: [{ name: 'web', type: 'webservice', properties: { image: 'crccheck/hello-world' }, traits: [{ type: 'scaler', properties: { replicas } }] }],
      policies: [{ type: 'topology', name: 'everywhere', properties: { clusters: [canary, ...shared], namespace, createNamespace: true } }],
      workflow: { steps: [{ name: 'ship', type: 'deploy', timeout, properties: { policies: ['everywhere'], parallelism: 2, rollout: { order: ['ring=canary'], ...rollout } } }] },
    },
  });
}

async function submit(document: string): Promise<string> {
  const submitted = await call(plane, 'POST', '/applications', document);
  expect(submitted.status, submitted.text).toBe(202);
  return submitted.body.revision;
}

const statusOf = async (namespace: string) => (await call(plane, 'GET', `/namespaces/${namespace}/applications/waved/status`)).body;

async function statusWhen(namespace: string, revision: string, ready: (status: any) => boolean, timeoutMs = 90_000): Promise<any> {
  let last: any;
  const reached = await pollUntil(async () => {
    last = await statusOf(namespace);
    return last?.workflow?.revision === revision && ready(last);
  }, timeoutMs, 250);
  if (!reached) throw new Error(`status of ${namespace} never got there: ${JSON.stringify(last?.workflow)}`);
  return last;
}

interface LiveDeployment {
  generation: number;
  observedGeneration: number;
  readyReplicas: number;
  replicas: number;
}

async function liveDeployment(cluster: string, namespace: string): Promise<LiveDeployment | undefined> {
  try {
    const live = await kubeConfig(cluster).makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace });
    return { generation: live.metadata?.generation ?? 0, observedGeneration: live.status?.observedGeneration ?? 0, readyReplicas: live.status?.readyReplicas ?? 0, replicas: live.spec?.replicas ?? 0 };
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

async function liveMetadata(cluster: string, namespace: string): Promise<{ resourceVersion?: string; generation?: number }> {
  const live = await kubeConfig(cluster).makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace });
  return { resourceVersion: live.metadata?.resourceVersion, generation: live.metadata?.generation };
}

const healthy = (d: LiveDeployment | undefined) => d !== undefined && d.observedGeneration >= d.generation && d.readyReplicas === d.replicas && d.replicas > 0;

const wavesOf = (status: any) => status.workflow.steps[0].waves.map((wave: any) => ({ phase: wave.phase, clusters: wave.clusters.map((c: any) => `${c.name}:${c.state}`) }));

describe('a deploy step rolled out in waves over four clusters', () => {
  it('deploys the canary wave first and starts the second only once the canary cluster is healthy', async () => {
    const namespace = namespaces.gate;
    const revision = await submit(application(namespace, { waves: ['1', '100%'] }));
    // Read every cluster while the rollout runs: whenever a second-wave cluster holds the Deployment, the canary's
    // Deployment reads healthy (observedGeneration caught up, every replica ready).
    const samples: { canary: boolean; canaryHealthy: boolean; second: number }[] = [];
    let canaryHealthySeen = false;
    let violation: string | undefined;
    const done = await pollUntil(async () => {
      // The second wave is read first: if it holds the Deployment, the canary read just after must already be healthy.
      const second = (await Promise.all(shared.map((c) => liveDeployment(c, namespace)))).filter((d) => d !== undefined).length;
      const canaryNow = await liveDeployment(canary, namespace);
      canaryHealthySeen = canaryHealthySeen || healthy(canaryNow);
      if (second > 0 && !canaryHealthySeen) violation = `a second-wave cluster had the Deployment while the canary's was ${JSON.stringify(canaryNow)}`;
      samples.push({ canary: canaryNow !== undefined, canaryHealthy: healthy(canaryNow), second });
      return second === shared.length;
    }, 90_000, 50);
    expect(violation).toBeUndefined();
    expect(done).toBe(true);
    // The canary was seen deployed while no second-wave cluster had anything.
    expect(samples.some((s) => s.canary && s.second === 0), JSON.stringify(samples.slice(0, 20))).toBe(true);
    const status = await statusWhen(namespace, revision, (s) => s.workflow.finished);
    expect(status.workflow.steps[0].phase, JSON.stringify(status.workflow)).toBe('succeeded');
    expect(wavesOf(status)).toEqual([
      { phase: 'healthy', clusters: [`${canary}:healthy`] },
      { phase: 'healthy', clusters: shared.map((c) => `${c}:healthy`) },
    ]);
    for (const cluster of [canary, ...shared]) expect(healthy(await liveDeployment(cluster, namespace)), cluster).toBe(true);
  });

  it('with approval, suspends after each healthy wave; resume starts the next', async () => {
    const namespace = namespaces.approval;
    const revision = await submit(application(namespace, { waves: ['1', '2', '100%'], approval: true }));
    const first = await statusWhen(namespace, revision, (s) => s.workflow.suspend);
    expect(first.workflow.steps[0].phase).toBe('suspending');
    expect(first.workflow.steps[0].message).toBe(`wave 1 of 3 healthy (${canary}); waiting for approval: \`flotilla workflow resume\` starts wave 2 of 3`);
    expect(wavesOf(first)).toEqual([
      { phase: 'healthy', clusters: [`${canary}:healthy`] },
      { phase: 'pending', clusters: ['beijing-1:held'] },
      { phase: 'pending', clusters: ['beijing-2:held', 'us-west-1:held'] },
    ]);
    expect(healthy(await liveDeployment(canary, namespace))).toBe(true);
    for (const cluster of shared) expect(await liveDeployment(cluster, namespace), cluster).toBeUndefined();

    const resumed = await call(plane, 'POST', `/namespaces/${namespace}/applications/waved/workflow/resume`);
    expect(resumed.status, resumed.text).toBe(202);
    const second = await statusWhen(namespace, revision, (s) => s.workflow.suspend && s.workflow.steps[0].waves[1].phase === 'healthy');
    expect(second.workflow.steps[0].message).toContain('wave 2 of 3 healthy (beijing-1)');
    expect(healthy(await liveDeployment('beijing-1', namespace))).toBe(true);
    for (const cluster of ['beijing-2', 'us-west-1']) expect(await liveDeployment(cluster, namespace), cluster).toBeUndefined();

    expect((await call(plane, 'POST', `/namespaces/${namespace}/applications/waved/workflow/resume`)).status).toBe(202);
    const last = await statusWhen(namespace, revision, (s) => s.workflow.finished);
    expect(last.workflow.steps[0].phase, JSON.stringify(last.workflow)).toBe('succeeded');
    for (const cluster of [canary, ...shared]) expect(healthy(await liveDeployment(cluster, namespace)), cluster).toBe(true);
  });

  it('onFailure rollback: the second wave fails, the two clusters reached go back to the previous revision, the two never reached are not touched', async () => {
    const namespace = namespaces.back;
    // v1 has time to become healthy everywhere on a busy machine; v2's waves give up sooner.
    const rollout = { waves: ['1', '2', '100%'], waveTimeout: '90s', onFailure: 'rollback' };
    const v1 = await submit(application(namespace, rollout, '300s', 3));
    const first = await statusWhen(namespace, v1, (s) => s.workflow.finished, 240_000);
    expect(first.workflow.steps[0].phase, JSON.stringify(first.workflow)).toBe('succeeded');
    // Waves: the canary, then beijing-1, then beijing-2 and us-west-1. beijing-1's namespace may hold no fourth pod,
    // so v2's 4 replicas never become healthy there (the quota counts once its controller has recorded the use).
    const core = kubeConfig('beijing-1').makeApiClient(CoreV1Api);
    await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'three-pods' }, spec: { hard: { pods: '3' } } } });
    expect(await pollUntil(async () => (await core.readNamespacedResourceQuota({ namespace, name: 'three-pods' })).status?.used?.pods === '3', 30_000, 250)).toBe(true);
    const unreached = ['beijing-2', 'us-west-1'];
    const before = Object.fromEntries(await Promise.all(unreached.map(async (c) => [c, await liveMetadata(c, namespace)] as const)));

    const v2 = await submit(application(namespace, { ...rollout, waveTimeout: '30s' }, '300s', 4));
    expect(v2).toBe('waved-v2');
    // The status follows the newest run: the rollback's, of v1 again, limited to the clusters v2 reached.
    const back = await statusWhen(namespace, v1, (s) => s.workflow.finished && (s.history ?? []).some((h: any) => h.event === 'run.rolled-back'), 240_000);
    expect(back.workflow.steps[0].phase, JSON.stringify(back.workflow)).toBe('succeeded');
    expect(wavesOf(back)).toEqual([
      { phase: 'healthy', clusters: [`${canary}:healthy`] },
      { phase: 'healthy', clusters: ['beijing-1:healthy'] },
    ]);
    for (const cluster of [canary, 'beijing-1']) {
      const live = await liveDeployment(cluster, namespace);
      expect(live?.replicas, cluster).toBe(3);
      expect(healthy(live), cluster).toBe(true);
    }
    // The clusters the rollout never reached: not re-applied, and the rollback's garbage collection left them alone.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const cluster of unreached) {
      expect(await liveMetadata(cluster, namespace), cluster).toEqual(before[cluster]);
      expect((await liveDeployment(cluster, namespace))?.replicas, cluster).toBe(3);
    }
  }, 420_000);

  it('a wave whose cluster cannot become healthy (its API server killed) pauses the rollout naming the cluster; the next wave is never sent', async () => {
    const [apiserver] = (await processesMatching('kube-apiserver')).filter((p) => p.cmdline.includes(canary));
    expect(apiserver).toBeDefined();
    process.kill(apiserver!.pid, 'SIGKILL');
    const namespace = namespaces.pause;
    const revision = await submit(application(namespace, { waves: ['1', '100%'], waveTimeout: '10s', onFailure: 'pause' }));
    const paused = await statusWhen(namespace, revision, (s) => s.workflow.suspend, 60_000);
    const step = paused.workflow.steps[0];
    expect(step.phase).toBe('suspending');
    expect(step.message).toMatch(new RegExp(`^wave 1 of 2 failed: 1 of 1 clusters failed \\(${canary}\\), more than maxUnavailableClusters 0; rollout paused before wave 2 of 2`));
    expect(wavesOf(paused)).toEqual([
      { phase: 'failed', clusters: [`${canary}:failed`] },
      { phase: 'pending', clusters: shared.map((c) => `${c}:held`) },
    ]);
    // It stays paused: a few seconds later nothing was sent to the second wave.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await statusOf(namespace)).workflow.suspend).toBe(true);
    for (const cluster of shared) expect(await liveDeployment(cluster, namespace), cluster).toBeUndefined();
    expect((await call(plane, 'POST', `/namespaces/${namespace}/applications/waved/workflow/terminate`)).status).toBe(202);
  });
});
