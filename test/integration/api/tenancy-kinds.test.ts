// Confinement that depends on the member cluster, through HTTP in the local runtime with beijing-1 for real:
// - kinds Flotilla cannot classify offline: two CRDs of a group unique to this run are installed into beijing-1, one
//   namespaced and one cluster-scoped; a namespace-limited token deploys an instance of the namespaced one, and is
//   refused at submit (403 naming the kind) for the cluster-scoped one, which never reaches the cluster;
// - the admin-only list of namespaces Flotilla may create in a cluster: refused at submit, and at step start for a
//   placement the submit could not see, with nothing created; a deployer may not change the list.
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClusterView } from '../../../contract/cluster-schemas.ts';
import { ErrorBody } from '../../../contract/error-schemas.ts';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { ApplicationStatus } from '../../../lib/core/status/application-status.ts';
import { call } from './api-server.ts';
import { eventually, startRuntimeApi, type RuntimeApi } from './runtime-api.ts';

const kubeconfigPaths = inject('clusterKubeconfigs');
const suffix = Date.now().toString(36);
const namespace = `tenancy-crd-${suffix}`;
const group = `t${suffix}.test.flotilla.dev`;
const apiVersion = `${group}/v1`;
const elsewhere = `tenancy-other-${suffix}`;
const labelKey = `tenancy-ns-${suffix}`;

let api: RuntimeApi;
let admin: { token: string };
let deployer: { token: string };
let core: CoreV1Api;
let crds: ApiextensionsV1Api;
let custom: CustomObjectsApi;

function crd(kind: string, scope: 'Namespaced' | 'Cluster') {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
    },
  };
}

function application(name: string, objects: unknown[], topology: Record<string, unknown> = { clusters: ['beijing-1'] }, appNamespace = namespace) {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace: appNamespace },
    spec: {
      components: [{ name: 'extras', type: 'k8s-objects', properties: { objects } }],
      policies: [{ type: 'topology', name: 'here', properties: topology }],
    },
  };
}
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { owner: 'tenancy-clusters-test' } };
const status = async (ns: string, name: string) => ApplicationStatus.parse((await call(api, 'GET', `/namespaces/${ns}/applications/${name}/status`, admin)).json);
const found = (read: Promise<unknown>) => read.then(() => 'found', (err: unknown) => ((err as { code?: number }).code === 404 ? 'not found' : `error: ${String(err)}`));

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths['beijing-1']!);
  core = kc.makeApiClient(CoreV1Api);
  crds = kc.makeApiClient(ApiextensionsV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await crds.createCustomResourceDefinition({ body: crd('Gadget', 'Namespaced') });
  await crds.createCustomResourceDefinition({ body: crd('Gizmo', 'Cluster') });
  // Served once discovery lists both kinds: only then can the applier's answer be the one this test expects.
  await eventually('the CRDs to be served', async () => {
    const list = await custom.getAPIResources({ group, version: 'v1' }).catch(() => undefined);
    const kinds = new Set(list?.resources.map((resource) => resource.kind));
    return kinds.has('Gadget') && kinds.has('Gizmo') ? true : undefined;
  });

  api = await startRuntimeApi();
  admin = { token: api.adminToken };
  const joined = await call(api, 'POST', '/clusters', { ...admin, body: { kubeconfig: await readFile(kubeconfigPaths['beijing-1']!, 'utf8') } });
  expect(joined.status).toBe(201);
  const created = await call(api, 'POST', '/tokens', { ...admin, body: { name: 'team deployer', role: 'deployer', namespaces: [namespace] } });
  expect(created.status).toBe(201);
  deployer = { token: CreatedToken.parse(created.json).token };
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await crds?.deleteCustomResourceDefinition({ name: `gadgets.${group}` }).catch(() => undefined);
  await crds?.deleteCustomResourceDefinition({ name: `gizmos.${group}` }).catch(() => undefined);
  await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
  // Only if a failure let the namespace through.
  await core?.deleteNamespace({ name: elsewhere }).catch(() => undefined);
});

describe('a kind only the cluster can classify', () => {
  it('deploys for a namespace-limited token when discovery says namespaced', async () => {
    const gadget = { apiVersion, kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 3 } };
    const submitted = await call(api, 'POST', '/applications', { ...deployer, body: application('gadgets', [gadget]) });
    expect(submitted.status).toBe(202);
    const finished = await eventually('gadgets-v1 to finish', async () => {
      const current = await status(namespace, 'gadgets');
      return current.workflow?.finished === true ? current : undefined;
    }, 60_000);
    expect(finished.workflow?.steps.map((step) => [step.phase, step.message])).toEqual([['succeeded', expect.anything()]]);
    const live = (await custom.getNamespacedCustomObject({ group, version: 'v1', namespace, plural: 'gadgets', name: 'g1' })) as { metadata: { labels?: Record<string, string> } };
    expect(live.metadata.labels?.['app.oam.dev/name']).toBe('gadgets');
  });

  it('is refused at submit when discovery says cluster-scoped, naming the kind, and nothing reaches the cluster', async () => {
    const gizmo = { apiVersion, kind: 'Gizmo', metadata: { name: `gz-${suffix}` }, spec: {} };
    const answer = await call(api, 'POST', '/applications', { ...deployer, body: application('gizmos', [gizmo]) });
    expect(answer.status).toBe(403);
    const { error } = ErrorBody.parse(answer.json);
    expect(error.code).toBe('forbidden');
    expect(error.details).toEqual([
      {
        path: 'spec.components[0].properties.objects[0]',
        message: `Gizmo gz-${suffix} (${apiVersion}) is cluster-scoped, says the discovery of cluster beijing-1; this token is limited to namespaces ${namespace} and may apply only namespaced objects inside them`,
      },
    ]);
    expect((await call(api, 'GET', `/namespaces/${namespace}/applications/gizmos`, admin)).status).toBe(404);
    expect(await found(custom.getClusterCustomObject({ group, version: 'v1', plural: 'gizmos', name: `gz-${suffix}` }))).toBe('not found');
  });

  it('is refused when the cluster does not serve it', async () => {
    const ghost = { apiVersion, kind: 'Ghost', metadata: { name: 'boo' } };
    const answer = await call(api, 'POST', '/applications', { ...deployer, body: application('ghosts', [ghost]) });
    expect(answer.status).toBe(403);
    expect(ErrorBody.parse(answer.json).error.message).toMatch(new RegExp(`Ghost boo \\(${apiVersion.replaceAll('.', '\\.')}\\) is not a kind cluster beijing-1 serves`));
  });

  it('fails the step when a placement the submit could not see starts, and nothing reaches the cluster', async () => {
    const gizmo = { apiVersion, kind: 'Gizmo', metadata: { name: `gz-later-${suffix}` }, spec: {} };
    const submitted = await call(api, 'POST', '/applications', { ...deployer, body: application('gizmos-later', [gizmo], { clusterLabelSelector: { [`${labelKey}-kinds`]: 'yes' } }) });
    expect(submitted.status).toBe(202);
    await sleep(500);
    expect((await call(api, 'POST', '/clusters/beijing-1/labels', { ...admin, body: { labels: { [`${labelKey}-kinds`]: 'yes' } } })).status).toBe(200);
    const failed = await eventually('the step to fail', async () => {
      const current = await status(namespace, 'gizmos-later');
      const step = current.workflow?.steps[0];
      return current.workflow?.finished === true && step?.phase === 'failed' ? step : undefined;
    });
    expect(failed.message).toContain(`Gizmo gz-later-${suffix} (${apiVersion}) is cluster-scoped, says the discovery of cluster beijing-1`);
    expect(await found(custom.getClusterCustomObject({ group, version: 'v1', plural: 'gizmos', name: `gz-later-${suffix}` }))).toBe('not found');
  });
});

describe('the namespaces Flotilla may create in a cluster', () => {
  it('are set by admins only and shown with the cluster', async () => {
    const refused = await call(api, 'POST', '/clusters/beijing-1/namespaces', { ...deployer, body: { creatableNamespaces: [] } });
    expect(refused.status).toBe(403);
    expect(ErrorBody.parse(refused.json).error.message).toBe('role deployer may not change clusters');
    expect(ClusterView.parse((await call(api, 'GET', '/clusters/beijing-1', admin)).json).creatableNamespaces).toBeUndefined();

    const set = await call(api, 'POST', '/clusters/beijing-1/namespaces', { ...admin, body: { creatableNamespaces: [namespace] } });
    expect(set.status).toBe(200);
    expect(ClusterView.parse(set.json).creatableNamespaces).toEqual([namespace]);
    expect(ClusterView.parse((await call(api, 'GET', '/clusters/beijing-1', admin)).json).creatableNamespaces).toEqual([namespace]);
  });

  it('refuse createNamespace beyond the list at submit, for an admin too, naming cluster, namespace and list', async () => {
    const answer = await call(api, 'POST', '/applications', {
      ...admin,
      body: application('creates', [configMap], { clusters: ['beijing-1'], namespace: elsewhere, createNamespace: true }),
    });
    expect(answer.status).toBe(403);
    expect(ErrorBody.parse(answer.json).error.details).toEqual([
      { path: 'spec.policies[0].properties.createNamespace', message: `cluster beijing-1 lets Flotilla create only namespaces ${namespace}, not ${elsewhere} (createNamespace)` },
    ]);
    expect(await found(core.readNamespace({ name: elsewhere }))).toBe('not found');
  });

  it('fail the step when a placement the submit could not see starts, creating nothing', async () => {
    // Submitted, the selector matches no cluster; the label makes it match and re-runs the revision.
    const topology = { clusterLabelSelector: { [labelKey]: 'yes' }, namespace: elsewhere, createNamespace: true };
    const submitted = await call(api, 'POST', '/applications', { ...admin, body: application('later', [configMap], topology, 'default') });
    expect(submitted.status).toBe(202);
    await sleep(500);
    const labelled = await call(api, 'POST', '/clusters/beijing-1/labels', { ...admin, body: { labels: { [labelKey]: 'yes' } } });
    expect(labelled.status).toBe(200);
    const failed = await eventually('the step to fail', async () => {
      const current = await status('default', 'later');
      const step = current.workflow?.steps[0];
      return current.workflow?.finished === true && step?.phase === 'failed' ? step : undefined;
    });
    expect(failed.message).toContain(`cluster beijing-1 lets Flotilla create only namespaces ${namespace}, not ${elsewhere} (createNamespace)`);
    expect(await found(core.readNamespace({ name: elsewhere }))).toBe('not found');
    expect((await call(api, 'DELETE', '/namespaces/default/applications/later', admin)).status).toBe(202);
  });
});
