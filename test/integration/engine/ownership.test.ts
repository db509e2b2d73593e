// Tenancy: an object labelled as another application's is never applied over nor deleted, and one no application
// manages is adopted only with the take-over annotation; on moto and the real member cluster beijing-1.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Engine } from '../../../lib/engine/context.ts';
import type { KubernetesObject } from '../../../lib/core/object/kubernetes-object.ts';
import { TakeOverAnnotation } from '../../../lib/core/render/ownership.ts';
import { startEngineHarness, type EngineHarness } from './engine-harness.ts';

let harness: EngineHarness;
let engine: Engine;
const suffix = Date.now().toString(36);
const shared = `shared-${suffix}`;

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '240' });
  const { engineWith, observe } = await import('../../../functions/runtime.ts');
  engine = engineWith((await import('../../../functions/cluster-access.ts')).clusterAccess, observe('engine-test').telemetry);
  await harness.registry.join({ name: 'beijing-1', kubeconfig: await readFile(inject('clusterKubeconfigs')['beijing-1']!, 'utf8') });
});
afterAll(() => harness?.stop());

function app(namespace: string, name: string, component: string, image: string, annotations?: Record<string, string>) {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: {
      components: [{ name: component, type: 'webservice', properties: { image, port: 8000 } }],
      policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], namespace: shared, createNamespace: true } }],
    },
  };
}

const deploymentRef = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: shared } });
const readDeployment = (name: string) => harness.cluster('beijing-1').read(deploymentRef(name));
/** What must not move: the whole live object as the API server returns it. */
const snapshot = (live: KubernetesObject | undefined) => JSON.stringify(live);

async function settled(name: string): Promise<KubernetesObject | undefined> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const live = (await readDeployment(name)) as (KubernetesObject & { status?: { readyReplicas?: number; observedGeneration?: number } }) | undefined;
    if (live?.status?.readyReplicas === 1 && live.status.observedGeneration === live.metadata.generation) return live;
    if (Date.now() > deadline) throw new Error(`${name} never became ready: ${JSON.stringify(live?.status)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function deleteApplication(namespace: string, name: string): Promise<void> {
  const record = await engine.store.applications.get(namespace, name);
  await engine.store.applications.markDeleting(namespace, name, record!.version);
  await engine.queues.toPlanner([{ kind: 'delete', namespace, name, force: false }]);
  const deadline = Date.now() + 30_000;
  while (await engine.store.applications.get(namespace, name)) {
    if (Date.now() > deadline) throw new Error(`${namespace}/${name} was never purged`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('ownership', { timeout: 600_000 }, () => {
  it("a second application's component of the same name fails with KubeVela's message, changes nothing, and deleting it deletes nothing of the first", async () => {
    const teamA = `team-a-${suffix}`;
    const teamB = `team-b-${suffix}`;
    const first = await harness.deploy(app(teamA, 'first-app', 'hello-world-server', 'crccheck/hello-world'), 300_000);
    expect(first.about.status, JSON.stringify(first.workflow)).toBe('running');
    const before = await readDeployment('hello-world-server');
    expect(before?.metadata.labels?.['app.oam.dev/name']).toBe('first-app');

    const second = await harness.deploy(app(teamB, 'other-app', 'hello-world-server', 'nginx:1.27'));
    expect(second.about.status).toBe('workflowFailed');
    expect(second.workflow?.steps[0]?.phase).toBe('failed');
    expect(second.workflow?.steps[0]?.message).toContain(
      `existing object Deployment ${shared}/hello-world-server is managed by other application ${teamA}/first-app`,
    );
    expect(snapshot(await readDeployment('hello-world-server'))).toBe(snapshot(before));

    await deleteApplication(teamB, 'other-app');
    expect(snapshot(await readDeployment('hello-world-server'))).toBe(snapshot(before));
    // The first application still owns and manages it.
    expect((await harness.status(teamA, 'first-app'))?.about.status).toBe('running');
  });

  it('an object no application manages is refused without the take-over annotation, left alone by a delete, and adopted with it', async () => {
    const teamC = `team-c-${suffix}`;
    const handMade = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hand-made', namespace: shared, labels: { app: 'hand-made' } },
      spec: {
        replicas: 1,
        // The selector webservice renders, which is immutable: adopting takes the object as it is meant to be.
        selector: { matchLabels: { 'app.oam.dev/component': 'hand-made' } },
        template: { metadata: { labels: { 'app.oam.dev/component': 'hand-made' } }, spec: { containers: [{ name: 'web', image: 'crccheck/hello-world' }] } },
      },
    };
    await harness.cluster('beijing-1').ensureNamespace(shared);
    await harness.cluster('beijing-1').apply(handMade);
    // Settled first: the Deployment controller's own status writes are not what this test is about.
    const before = await settled('hand-made');

    const refused = await harness.deploy(app(teamC, 'adopter', 'hand-made', 'nginx:1.27'));
    expect(refused.about.status).toBe('workflowFailed');
    expect(refused.workflow?.steps[0]?.message).toContain(`existing object Deployment ${shared}/hand-made is not managed by any application`);
    expect(snapshot(await readDeployment('hand-made'))).toBe(snapshot(before));

    await deleteApplication(teamC, 'adopter');
    expect(snapshot(await readDeployment('hand-made'))).toBe(snapshot(before));

    const adopted = await harness.deploy(app(teamC, 'taker', 'hand-made', 'nginx:1.27', { [TakeOverAnnotation]: 'true' }), 300_000);
    expect(adopted.workflow?.steps[0]?.phase, adopted.workflow?.steps[0]?.message).toBe('succeeded');
    const live = (await readDeployment('hand-made')) as KubernetesObject & { spec: { template: { spec: { containers: { image: string }[] } } } };
    expect(live.metadata.labels).toMatchObject({ 'app.oam.dev/name': 'taker', 'app.oam.dev/namespace': teamC });
    expect(live.spec.template.spec.containers[0]?.image).toBe('nginx:1.27');
  });
});
