// Confinement of a namespace-limited token, through HTTP in the local runtime with beijing-1 for real: the escalation
// from issue 12 (a ClusterRoleBinding to cluster-admin and a ConfigMap in kube-system) is refused at submit with 403
// and nothing of it reaches the cluster; an application inside the token's namespace deploys; and a revision whose
// rendering leaves the namespace only later (an override scoped by a cluster label added afterwards, re-run by the
// label change) fails its step when the planner starts it, with nothing applied either.
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SubmitApplicationResult } from '../../../contract/application-schemas.ts';
import { ErrorBody } from '../../../contract/error-schemas.ts';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { ApplicationStatus } from '../../../lib/core/status/application-status.ts';
import { call } from './api-server.ts';
import { eventually, startRuntimeApi, type RuntimeApi } from './runtime-api.ts';

const kubeconfigPaths = inject('clusterKubeconfigs');
const suffix = Date.now().toString(36);
const namespace = `tenancy-${suffix}`;
const bindingName = `tenancy-escalation-${suffix}`;
const systemConfigMap = `tenancy-escalation-${suffix}`;
const labelKey = `tenancy-${suffix}`;

let api: RuntimeApi;
let admin: { token: string };
let deployer: { token: string };
let core: CoreV1Api;
let rbac: RbacAuthorizationV1Api;

const clusterAdminBinding = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: bindingName },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: 'default', namespace }],
};
const configMap = (name: string, inNamespace?: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(inNamespace === undefined ? {} : { namespace: inNamespace }) },
  data: { owner: 'tenancy-test' },
});

function application(name: string, objects: unknown[], policies: unknown[] = []) {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {
      components: [{ name: 'extras', type: 'k8s-objects', properties: { objects } }],
      policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'] } }, ...policies],
    },
  };
}

const status = async (name: string) => ApplicationStatus.parse((await call(api, 'GET', `/namespaces/${namespace}/applications/${name}/status`, admin)).json);
const notFound = (read: Promise<unknown>) => read.then(() => 'found', (err: unknown) => ((err as { code?: number }).code === 404 ? 'not found' : `error: ${String(err)}`));
const readBinding = () => notFound(rbac.readClusterRoleBinding({ name: bindingName }));
const readSystemConfigMap = () => notFound(core.readNamespacedConfigMap({ name: systemConfigMap, namespace: 'kube-system' }));

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths['beijing-1']!);
  core = kc.makeApiClient(CoreV1Api);
  rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  // A limited token may not create namespaces: the platform team does, as an admin would.
  await core.createNamespace({ body: { metadata: { name: namespace } } });

  api = await startRuntimeApi();
  admin = { token: api.adminToken };
  const joined = await call(api, 'POST', '/clusters', { ...admin, body: { kubeconfig: await readFile(kubeconfigPaths['beijing-1']!, 'utf8') } });
  expect(joined.status).toBe(201);
  const created = await call(api, 'POST', '/tokens', { ...admin, body: { name: 'team deployer', role: 'deployer', namespaces: [namespace] } });
  expect(created.status).toBe(201);
  deployer = { token: CreatedToken.parse(created.json).token };
});

afterAll(async () => {
  await api?.stop();
  await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
  // Only if a failure let them through: never leave a cluster-admin binding behind on a shared cluster.
  await rbac?.deleteClusterRoleBinding({ name: bindingName }).catch(() => undefined);
  await core?.deleteNamespacedConfigMap({ name: systemConfigMap, namespace: 'kube-system' }).catch(() => undefined);
});

describe('a namespace-limited token', () => {
  it('is refused the ClusterRoleBinding and the kube-system ConfigMap at submit, and nothing reaches beijing-1', async () => {
    const escalation = application('escalation', [configMap('settings'), clusterAdminBinding, configMap(systemConfigMap, 'kube-system')]);
    const answer = await call(api, 'POST', '/applications', { ...deployer, body: escalation });
    expect(answer.status).toBe(403);
    const { error } = ErrorBody.parse(answer.json);
    expect(error.code).toBe('forbidden');
    expect(error.details).toEqual([
      {
        path: 'spec.components[0].properties.objects[1]',
        message: `ClusterRoleBinding ${bindingName} (rbac.authorization.k8s.io/v1) is cluster-scoped; this token is limited to namespaces ${namespace} and may apply only namespaced objects inside them`,
      },
      {
        path: 'spec.components[0].properties.objects[2]',
        message: `ConfigMap kube-system/${systemConfigMap} is in namespace kube-system; this token is limited to namespaces ${namespace}, not kube-system`,
      },
    ]);
    expect(error.message).toMatch(/ClusterRoleBinding/);
    expect(error.message).toMatch(/kube-system/);
    expect((await call(api, 'GET', `/namespaces/${namespace}/applications/escalation`, admin)).status).toBe(404);

    // topology.namespace would move even a harmless ConfigMap out of the token's namespace.
    const moved = application('escalation', [configMap('settings')]);
    (moved.spec.policies[0] as { properties: Record<string, unknown> }).properties.namespace = 'kube-system';
    const movedAnswer = await call(api, 'POST', '/applications', { ...deployer, body: moved });
    expect(movedAnswer.status).toBe(403);
    expect(ErrorBody.parse(movedAnswer.json).error.details.map((detail) => detail.path)).toEqual(['spec.policies[0].properties.namespace', 'spec.components[0].properties.objects[0]']);

    expect(await readBinding()).toBe('not found');
    expect(await readSystemConfigMap()).toBe('not found');
  });

  it('deploys inside its namespace; a re-run whose rendering leaves it fails the step and applies nothing', async () => {
    // Submitted, the override matches no cluster, so only the ConfigMap in the token's namespace renders.
    const override = {
      type: 'override',
      name: 'when-labelled',
      properties: {
        components: [{ name: 'extras', clusterLabelSelector: { [labelKey]: 'yes' }, properties: { objects: [configMap('settings'), clusterAdminBinding, configMap(systemConfigMap, 'kube-system')] } }],
      },
    };
    const submitted = await call(api, 'POST', '/applications', { ...deployer, body: application('later', [configMap('settings')], [override]) });
    expect(submitted.status).toBe(202);
    expect(SubmitApplicationResult.parse(submitted.json).revision).toBe('later-v1');
    await eventually('later-v1 to succeed', async () => {
      const current = await status('later');
      return current.workflow?.finished === true && current.workflow.steps.every((step) => step.phase === 'succeeded') ? current : undefined;
    });
    expect((await core.readNamespacedConfigMap({ name: 'settings', namespace })).data).toEqual({ owner: 'tenancy-test' });

    // The label makes the override match; the label change re-runs the revision, under the scope stored with it.
    const labelled = await call(api, 'POST', '/clusters/beijing-1/labels', { ...admin, body: { labels: { [labelKey]: 'yes' } } });
    expect(labelled.status).toBe(200);
    expect(JSON.stringify(labelled.json)).toContain('"name":"later"');
    const failed = await eventually('the re-run to fail its step', async () => {
      const current = await status('later');
      const step = current.workflow?.steps[0];
      return current.workflow?.finished === true && step?.phase === 'failed' ? step : undefined;
    });
    expect(failed.message).toMatch(new RegExp(`ClusterRoleBinding ${bindingName} .* is cluster-scoped`));
    expect(failed.message).toMatch(new RegExp(`ConfigMap kube-system/${systemConfigMap} is in namespace kube-system`));

    expect(await readBinding()).toBe('not found');
    expect(await readSystemConfigMap()).toBe('not found');
  });
});
