// Rollout waves on moto and the real member clusters, with every SQS batch handed to its function twice: each cluster
// is dispatched once and the rollout ends as with single delivery; a wave that cannot become healthy with
// `onFailure: rollback` fails the run and the previous succeeded revision runs again on the cluster it changed only,
// read back from the clusters; a plain deploy step's `parallelism` holds it to that many clusters at once; time
// suspended for approval does not count against the step's timeout; a cluster joined between waves joins no wave of
// the run, and the re-run its join starts places it.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '../../../devenv/process.ts';
import { readyReplicas, startEngineHarness, type EngineHarness } from './engine-harness.ts';

const suffix = Date.now().toString(36);
const clusters = ['beijing-1', 'beijing-2', 'us-west-1'];
const namespaces = { twice: `roll-twice-${suffix}`, back: `roll-back-${suffix}`, plain: `roll-plain-${suffix}`, pause: `roll-pause-${suffix}`, join: `roll-join-${suffix}` };
/** beijing-1 and beijing-2 carry it; the cluster joined mid-rollout too. */
const joinLabel = `roll-join-${suffix}`;
const lateCluster = `late-${suffix}`;
let harness: EngineHarness;

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '90' }, { duplicateDeliveries: true, serveApi: true });
  const kubeconfigs = inject('clusterKubeconfigs');
  for (const name of clusters) await harness.registry.join({ name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8'), labels: name.startsWith('beijing') ? { [joinLabel]: 'yes' } : {} });
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
  return (await deploymentMetadata(cluster, namespace))?.generation;
}

async function deploymentMetadata(cluster: string, namespace: string): Promise<{ generation: number; resourceVersion: string } | undefined> {
  const live = (await harness.cluster(cluster).read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace } })) as { metadata: { generation: number; resourceVersion: string } } | undefined;
  return live && { generation: live.metadata.generation, resourceVersion: live.metadata.resourceVersion };
}

/** The API of the harness's runtime, as the admin. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${harness.runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${harness.runtime.adminToken}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

    const untouched = Object.fromEntries(await Promise.all(['beijing-2', 'us-west-1'].map(async (c) => [c, await deploymentMetadata(c, namespace)] as const)));
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

    // The rollback ran on beijing-1 only, the one cluster v2 reached: the others were never sent v1 again, and its
    // garbage collection (after it succeeded) left their objects alone, resourceVersion and all.
    const rollbackRun = runs[0]!;
    expect(rollbackRun.clusters).toEqual(['beijing-1']);
    expect(rollbackRun.history?.[0]?.event).toBe('run.rolled-back');
    expect((await store.targets.listForRun(rollbackRun.runId)).map((t) => [t.cluster, t.phase])).toEqual([['beijing-1', 'succeeded']]);
    await sleep(3000);
    for (const cluster of ['beijing-2', 'us-west-1']) expect(await deploymentMetadata(cluster, namespace), cluster).toEqual(untouched[cluster]);
  });

  it('a plain deploy step with parallelism 1 applies its three clusters one at a time, each once the one before is healthy', async () => {
    const namespace = namespaces.plain;
    const document = application(namespace, 1, {});
    const steps = document.spec.workflow.steps as { properties: Record<string, unknown> }[];
    delete steps[0]!.properties.rollout;
    const { name, revisionName } = await harness.submit(document);
    // Sampled while it runs: never more than one cluster applying.
    const open: number[] = [];
    const status = await harness.waitFor(namespace, name, (s) => {
      const waves = s.workflow?.revision === revisionName ? s.workflow.steps[0]?.waves : undefined;
      if (waves) open.push(waves[0]!.clusters.filter((c) => c.state === 'applying').length);
      return s.workflow?.revision === revisionName && s.workflow.finished;
    });
    expect(status.workflow?.steps[0]?.phase).toBe('succeeded');
    expect(Math.max(...open), JSON.stringify(open)).toBeLessThanOrEqual(1);
    const { store } = await import('../../../functions/runtime.ts');
    const [run] = await store.runs.listForApplication(namespace, name);
    expect(run!.steps[0]!.rollout).toMatchObject({ parallelismOnly: true, parallelism: 1, waves: [{ clusters: clusters, dispatched: clusters, phase: 'healthy' }] });
    // One wave of a plain step is no rollout: no wave event.
    expect(run!.history?.map((h) => h.event)).not.toContain('step.wave-healthy');
    const targets = await store.targets.listForRun(run!.runId);
    const finished = (cluster: string) => Date.parse(targets.find((t) => t.cluster === cluster)!.finishedAt!);
    expect(finished('beijing-1')).toBeLessThanOrEqual(finished('beijing-2'));
    expect(finished('beijing-2')).toBeLessThanOrEqual(finished('us-west-1'));
    for (const cluster of clusters) expect(await readyReplicas(harness.cluster(cluster), namespace, 'web')).toBe(1);
  });

  it('suspended for approval longer than the step timeout, the rollout is resumed and finishes: time suspended does not count', async () => {
    const namespace = namespaces.pause;
    const document = application(namespace, 1, { waves: ['1', '100%'], approval: true });
    (document.spec.workflow.steps[0] as Record<string, unknown>).timeout = '30s';
    const { name, revisionName } = await harness.submit(document);
    const suspended = await harness.waitFor(namespace, name, (s) => s.workflow?.revision === revisionName && s.workflow.suspend);
    expect(suspended.workflow?.steps[0]?.message).toBe('wave 1 of 2 healthy (beijing-1); waiting for approval: `flotilla workflow resume` starts wave 2 of 2');
    // Longer than the whole timeout: the run still waits, nothing failed.
    await sleep(35_000);
    const still = await harness.status(namespace, name);
    expect(still?.workflow?.suspend).toBe(true);
    expect(still?.workflow?.steps[0]?.phase).toBe('suspending');
    const resumed = await api('POST', `/namespaces/${namespace}/applications/${name}/workflow/resume`);
    expect(resumed.status, JSON.stringify(resumed.json)).toBe(202);
    const done = await harness.waitFor(namespace, name, (s) => s.workflow?.revision === revisionName && s.workflow.finished);
    expect(done.workflow?.steps[0]?.phase, JSON.stringify(done.workflow)).toBe('succeeded');
    const { store } = await import('../../../functions/runtime.ts');
    const [run] = await store.runs.listForApplication(namespace, name);
    expect(run!.steps[0]!.suspendedSeconds).toBeGreaterThanOrEqual(35);
    expect(run!.steps[0]!.suspendedAt).toBeUndefined();
    // The history tells the story, the healthy wave before the suspension it led to.
    const events = run!.history!.map((h) => (h.event === 'step.wave-healthy' ? `${h.event} ${h.message}` : h.event));
    expect(events.filter((e) => e.startsWith('step.') || e === 'run.suspended' || e === 'run.resumed')).toEqual([
      'step.started',
      'step.wave-healthy wave 1 of 2 healthy (beijing-1)',
      'step.suspended',
      'run.suspended',
      'step.resumed',
      'run.resumed',
      'step.wave-healthy wave 2 of 2 healthy (beijing-2, us-west-1)',
      'step.succeeded',
    ]);
    for (const cluster of clusters) expect(await readyReplicas(harness.cluster(cluster), namespace, 'web')).toBe(1);
  });

  it('a cluster joined between waves joins no wave of the run; the re-run its join starts places it', async () => {
    const namespace = namespaces.join;
    const document = application(namespace, 1, { waves: ['1', '100%'], approval: true });
    const policy = (document.spec.policies as { properties: Record<string, unknown> }[])[0]!;
    delete policy.properties.clusters;
    policy.properties.clusterLabelSelector = { [joinLabel]: 'yes' };
    const { name, revisionName } = await harness.submit(document);
    await harness.waitFor(namespace, name, (s) => s.workflow?.revision === revisionName && s.workflow.suspend);
    const { store } = await import('../../../functions/runtime.ts');
    const [first] = await store.runs.listForApplication(namespace, name);

    // The late cluster is us-west-1's API server under another name, labelled to match the selector.
    const joined = await api('POST', '/clusters', { name: lateCluster, kubeconfig: await readFile(inject('clusterKubeconfigs')['us-west-1']!, 'utf8'), labels: { [joinLabel]: 'yes' } });
    expect(joined.status, JSON.stringify(joined.json)).toBe(201);
    expect(joined.json.reruns.map((r: { namespace: string; name: string }) => [r.namespace, r.name])).toEqual([[namespace, name]]);
    const rerunId: string = joined.json.reruns[0].runId;

    // The run in progress kept its recorded waves and got no target there; the re-run superseded it.
    const before = await store.runs.get(first!.runId);
    expect(before!.steps[0]!.rollout!.waves.map((w) => w.clusters)).toEqual([['beijing-1'], ['beijing-2']]);
    expect((await store.targets.listForRun(first!.runId)).map((t) => t.cluster).sort()).toEqual(['beijing-1', 'beijing-2']);
    await harness.waitFor(namespace, name, (s) => s.workflow?.suspend === true && s.workflow.steps[0]?.waves?.length === 2 && s.workflow.steps[0].waves[1]!.clusters.length === 2);
    expect((await store.runs.get(first!.runId))!.phase).toBe('terminated');
    const rerun = await store.runs.get(rerunId);
    expect(rerun!.steps[0]!.rollout!.waves.map((w) => w.clusters)).toEqual([['beijing-1'], ['beijing-2', lateCluster]]);

    const resumed = await api('POST', `/namespaces/${namespace}/applications/${name}/workflow/resume`);
    expect(resumed.status, JSON.stringify(resumed.json)).toBe(202);
    const done = await harness.waitFor(namespace, name, (s) => s.workflow?.finished === true && (s.workflow.steps[0]?.waves?.[1]?.clusters.length ?? 0) === 2);
    expect(done.workflow?.steps[0]?.phase, JSON.stringify(done.workflow)).toBe('succeeded');
    expect((await store.targets.listForRun(rerunId)).map((t) => [t.cluster, t.phase]).sort()).toEqual([['beijing-1', 'succeeded'], ['beijing-2', 'succeeded'], [lateCluster, 'succeeded']]);
    expect(await readyReplicas(harness.cluster('us-west-1'), namespace, 'web')).toBe(1);
  });
});
