// A token's cluster scope, through HTTP in the local runtime with beijing-1 and beijing-2 for real: a placement on a
// cluster outside the scope is refused at submit with 403 naming the cluster, and nothing is stored; a revision
// submitted inside the scope deploys, and when a label change later lets its selector reach beijing-2 (outside the
// scope), the re-run of that stored revision fails its step when the planner starts it, with nothing applied there.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
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
const namespace = `cscope-${suffix}`;
const teamKey = `team-${suffix}`;
const poolKey = `pool-${suffix}`;

let api: RuntimeApi;
let admin: { token: string };
let edge: { token: string };
const core: Record<'beijing-1' | 'beijing-2', CoreV1Api> = {} as never;

function application(name: string, topology: Record<string, unknown>) {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {
      components: [{ name: 'extras', type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-settings` }, data: { owner: 'cluster-scope-test' } }] } }],
      policies: [{ type: 'topology', name: 'where', properties: topology }],
    },
  };
}

const status = async (name: string) => ApplicationStatus.parse((await call(api, 'GET', `/namespaces/${namespace}/applications/${name}/status`, admin)).json);
const configMapIn = (cluster: 'beijing-1' | 'beijing-2', name: string) =>
  core[cluster].readNamespacedConfigMap({ name, namespace }).then(
    (found) => found.data,
    (err: unknown) => ((err as { code?: number }).code === 404 ? 'not found' : `error: ${String(err)}`),
  );

beforeAll(async () => {
  for (const cluster of ['beijing-1', 'beijing-2'] as const) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPaths[cluster]!);
    core[cluster] = kc.makeApiClient(CoreV1Api);
    // In both clusters, so that an apply on beijing-2 would succeed if the scope let it through.
    await core[cluster].createNamespace({ body: { metadata: { name: namespace } } });
  }
  api = await startRuntimeApi();
  admin = { token: api.adminToken };
  const join = async (cluster: 'beijing-1' | 'beijing-2', labels: Record<string, string>) =>
    expect((await call(api, 'POST', '/clusters', { ...admin, body: { kubeconfig: await readFile(kubeconfigPaths[cluster]!, 'utf8'), labels } })).status).toBe(201);
  await join('beijing-1', { [teamKey]: 'a', [poolKey]: 'x' });
  await join('beijing-2', {});
  const created = await call(api, 'POST', '/tokens', { ...admin, body: { name: 'team-a edge deployer', role: 'deployer', namespaces: [namespace], clusters: { selector: { [teamKey]: 'a' } } } });
  expect(created.status).toBe(201);
  edge = { token: CreatedToken.parse(created.json).token };
});

afterAll(async () => {
  await api?.stop();
  for (const client of Object.values(core)) await client.deleteNamespace({ name: namespace }).catch(() => undefined);
});

describe('a token limited to clusters labelled team=a', () => {
  it('is refused a placement on beijing-2 at submit, naming the cluster and the scope, and nothing is stored', async () => {
    const before = await api.snapshot();
    const answer = await call(api, 'POST', '/applications', { ...edge, body: application('spread', { clusters: ['beijing-1', 'beijing-2'] }) });
    expect(answer.status).toBe(403);
    const { error } = ErrorBody.parse(answer.json);
    expect(error.code).toBe('forbidden');
    expect(error.details).toEqual([
      { path: 'spec.policies[0].properties.clusters[1]', message: `places on cluster beijing-2; this token may place only on clusters labelled ${teamKey}=a, not beijing-2` },
    ]);
    expect(await api.snapshot()).toBe(before);
    expect((await call(api, 'GET', `/namespaces/${namespace}/applications/spread`, admin)).status).toBe(404);
    expect(await configMapIn('beijing-1', 'spread-settings')).toBe('not found');
    expect(await configMapIn('beijing-2', 'spread-settings')).toBe('not found');
  });

  it('deploys inside its scope; a re-run that reaches beijing-2 fails its step and applies nothing there', async () => {
    const submitted = await call(api, 'POST', '/applications', { ...edge, body: application('pooled', { clusterLabelSelector: { [poolKey]: 'x' } }) });
    expect(submitted.status).toBe(202);
    expect(SubmitApplicationResult.parse(submitted.json).revision).toBe('pooled-v1');
    await eventually('pooled-v1 to succeed', async () => {
      const current = await status('pooled');
      return current.workflow?.finished === true && current.workflow.steps.every((step) => step.phase === 'succeeded') ? current : undefined;
    });
    expect(await configMapIn('beijing-1', 'pooled-settings')).toEqual({ owner: 'cluster-scope-test' });

    // beijing-2 joins the pool: the selector now reaches it, and the label change re-runs pooled-v1 under its stored scope.
    const labelled = await call(api, 'POST', '/clusters/beijing-2/labels', { ...admin, body: { labels: { [poolKey]: 'x' } } });
    expect(labelled.status).toBe(200);
    expect(JSON.stringify(labelled.json)).toContain('"name":"pooled"');
    const failed = await eventually('the re-run to fail its step', async () => {
      const current = await status('pooled');
      const step = current.workflow?.steps[0];
      return current.workflow?.finished === true && step?.phase === 'failed' ? step : undefined;
    });
    expect(failed.message).toContain(`places on cluster beijing-2; this token may place only on clusters labelled ${teamKey}=a, not beijing-2`);
    expect(await configMapIn('beijing-2', 'pooled-settings')).toBe('not found');
    expect(await configMapIn('beijing-1', 'pooled-settings')).toEqual({ owner: 'cluster-scope-test' });
  });
});
