// A member cluster joined with namespace-scoped credentials (docs/api.md "Tenancy"): a ServiceAccount whose Role
// covers one namespace is enough for Flotilla to deploy, check health and garbage-collect there, and the cluster's
// own RBAC then refuses anything outside that namespace even for an unlimited (admin) token: the refusal is the API
// server's 403, named in the step's message, and nothing lands.
import { AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApplicationStatus } from '../../../lib/core/status/application-status.ts';
import { call } from './api-server.ts';
import { eventually, startRuntimeApi, type RuntimeApi } from './runtime-api.ts';

const kubeconfigPaths = inject('clusterKubeconfigs');
const suffix = Date.now().toString(36);
const namespace = `scoped-${suffix}`;
const elsewhere = `scoped-other-${suffix}`;
const clusterName = `scoped-${suffix}`;
const serviceAccount = 'flotilla';

let api: RuntimeApi;
let admin: { token: string };
let core: CoreV1Api;

interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
}

async function namespaceScopedKubeconfig(): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths['beijing-2']!);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: serviceAccount } } });
  // What a platform team grants a team's Flotilla: everything inside the namespace, nothing outside it.
  await rbac.createNamespacedRole({
    namespace,
    body: { metadata: { name: 'flotilla' }, rules: [{ apiGroups: ['', 'apps', 'networking.k8s.io', 'autoscaling'], resources: ['*'], verbs: ['*'] }] },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: 'flotilla' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flotilla' },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
    },
  });
  const request = await core.createNamespacedServiceAccountToken({ name: serviceAccount, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const base = JSON.parse(await readFile(kubeconfigPaths['beijing-2']!, 'utf8')) as Kubeconfig;
  const { server, 'certificate-authority-data': ca } = base.clusters[0]!.cluster;
  return JSON.stringify({
    clusters: [{ name: 'member', cluster: { server, 'certificate-authority-data': ca } }],
    users: [{ name: 'team', user: { token: request.status!.token } }],
    contexts: [{ name: 'member', context: { cluster: 'member', user: 'team' } }],
    'current-context': 'member',
  });
}

function application(name: string, properties: { objects?: unknown[] } = {}) {
  const components =
    properties.objects === undefined
      ? [{ name: 'web', type: 'webservice', properties: { image: 'nginx:1.27', port: 80 } }]
      : [{ name: 'extras', type: 'k8s-objects', properties: { objects: properties.objects } }];
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: { components, policies: [{ type: 'topology', name: 'here', properties: { clusters: [clusterName] } }] },
  };
}

const status = async (name: string) => ApplicationStatus.parse((await call(api, 'GET', `/namespaces/${namespace}/applications/${name}/status`, admin)).json);
const finished = (name: string) =>
  eventually(`${name} to finish`, async () => {
    const current = await status(name);
    return current.workflow?.finished === true ? current : undefined;
  });

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths['beijing-2']!);
  core = kc.makeApiClient(CoreV1Api);
  for (const name of [namespace, elsewhere]) await core.createNamespace({ body: { metadata: { name } } });
  api = await startRuntimeApi();
  admin = { token: api.adminToken };
  const joined = await call(api, 'POST', '/clusters', { ...admin, body: { name: clusterName, kubeconfig: await namespaceScopedKubeconfig() } });
  expect(joined.status, JSON.stringify(joined.json)).toBe(201);
  expect(joined.json).toMatchObject({ cluster: { name: clusterName, type: 'ServiceAccountToken', accepted: true } });
});

afterAll(async () => {
  await api?.stop();
  for (const name of [namespace, elsewhere]) await core?.deleteNamespace({ name }).catch(() => undefined);
});

describe('a cluster joined with namespace-scoped credentials', () => {
  it('deploys, reports health and deletes inside the namespace', async () => {
    expect((await call(api, 'POST', '/applications', { ...admin, body: application('web') })).status).toBe(202);
    const done = await finished('web');
    expect(done.workflow?.steps.map((step) => step.phase)).toEqual(['succeeded']);
    expect(done.services?.map((service) => [service.cluster, service.healthy])).toEqual([[clusterName, true]]);
    const { items } = await kcApps().listNamespacedDeployment({ namespace });
    expect(items.map((deployment) => deployment.metadata?.name)).toEqual(['web']);

    expect((await call(api, 'DELETE', `/namespaces/${namespace}/applications/web`, admin)).status).toBe(202);
    await eventually('the Deployment to be deleted', async () => ((await kcApps().listNamespacedDeployment({ namespace })).items.length === 0 ? true : undefined));
  });

  it("refuses, by the cluster's own RBAC, an object outside the namespace even for an admin token, and nothing lands", async () => {
    const outside = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: elsewhere }, data: { a: 'b' } };
    expect((await call(api, 'POST', '/applications', { ...admin, body: application('stray', { objects: [outside] }) })).status).toBe(202);
    const done = await finished('stray');
    const step = done.workflow?.steps[0];
    expect(step?.phase).toBe('failed');
    expect(step?.message).toMatch(new RegExp(`configmaps "stray" is forbidden: User "system:serviceaccount:${namespace}:${serviceAccount}" cannot`));
    const read = await core.readNamespacedConfigMap({ name: 'stray', namespace: elsewhere }).then(
      () => 'found',
      (err: { code?: number }) => (err.code === 404 ? 'not found' : String(err)),
    );
    expect(read).toBe('not found');
  });
});

function kcApps() {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths['beijing-2']!);
  return kc.makeApiClient(AppsV1Api);
}
