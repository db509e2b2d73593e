// How one target's objects are applied, on moto and a real member cluster: what others depend on goes first
// (Namespaces, then CRDs until they are served), the rest side by side without blurring which failure is reported,
// and a rollout that turns healthy moments after the apply finishes its target in the same order.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from './engine-harness.ts';

const suffix = Date.now().toString(36);
const group = `apply-order-${suffix}.flotilla.example.com`;
const crdName = `widgets.${group}`;
const namespaces: string[] = [];
let harness: EngineHarness;

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '60' });
  const kubeconfigs = inject('clusterKubeconfigs');
  await harness.registry.join({ name: 'beijing-1', kubeconfig: await readFile(kubeconfigs['beijing-1']!, 'utf8') });
});
afterAll(async () => {
  const cluster = harness?.cluster('beijing-1');
  for (const name of namespaces) await cluster?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => {});
  await cluster?.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: crdName } }).catch(() => {});
  await harness?.stop();
});

function app(name: string, namespace: string, components: unknown[]) {
  namespaces.push(namespace);
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {
      components,
      // Namespace creation is not asked for: whatever the objects need, they bring themselves.
      policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], createNamespace: false } }],
    },
  };
}

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { name } });

describe('the apply order of one target', () => {
  it('applies the Namespace before the objects in it and the CRD (once served) before its custom resources, whatever the rendered order', async () => {
    const namespace = `apply-order-${suffix}`;
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crdName },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    // Rendered order is the worst one: what depends on something comes before it.
    const objects = [{ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'gear' } }, configMap('settings'), crd, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }];
    const status = await harness.deploy(app('ordered', namespace, [{ name: 'bundle', type: 'k8s-objects', properties: { objects } }]));
    expect(status.workflow?.steps.map((s) => [s.name, s.phase, s.message ?? ''])).toEqual([[expect.any(String), 'succeeded', '']]);
    const cluster = harness.cluster('beijing-1');
    expect(await cluster.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace } })).toMatchObject({ data: { name: 'settings' } });
    expect(await cluster.read({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'gear', namespace } })).toMatchObject({ metadata: { name: 'gear' } });
  });

  it('reports the failure of the first object in rendered order when objects applied side by side all fail', async () => {
    const namespace = `apply-order-missing-${suffix}`;
    const components = Array.from({ length: 12 }, (_, i) => ({
      name: `part-${String(i + 1).padStart(2, '0')}`,
      type: 'k8s-objects',
      properties: { objects: [configMap(`part-${i + 1}`)] },
    }));
    const status = await harness.deploy(app('unordered', namespace, components));
    expect(status.about.status).toBe('workflowFailed');
    expect(status.workflow?.steps[0]?.message).toContain(
      `failed to apply component part-01 to cluster beijing-1, namespace ${namespace}: `,
    );
    expect(status.workflow?.steps[0]?.message).toContain(`namespaces "${namespace}" not found`);
  });

  it('finishes a rollout that turns healthy moments after the apply within the order: no health re-check is scheduled', async () => {
    const namespace = `apply-order-prompt-${suffix}`;
    const components = [
      { name: 'place', type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }] } },
      { name: 'web', type: 'webservice', properties: { image: 'crccheck/hello-world', port: 8000 }, traits: [{ type: 'scaler', properties: { replicas: 3 } }] },
    ];
    const status = await harness.deploy(app('prompt', namespace, components));
    expect(status.services.map((s) => [s.name, s.healthy, s.message])).toEqual([
      ['place', true, ''],
      ['web', true, 'Ready:3/3'],
    ]);
    const { store } = await import('../../../functions/runtime.ts');
    const [run] = await store.runs.listForApplication(namespace, 'prompt');
    const [target] = await store.targets.listForRun(run!.runId);
    // A re-check would have raised attempts (and written `wait healthy: ...` as the message).
    expect(target).toMatchObject({ phase: 'succeeded', attempts: 0, message: '' });
  });
});
