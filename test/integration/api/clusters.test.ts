// The cluster registry through HTTP against the real member clusters, in the local runtime: join (certificate and
// ServiceAccount token), list, get, labels add/del, probe, rename, rotation, detach; sealed credentials at rest; and
// applications selecting clusters by label running again when a join or a label change affects them.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApplicationList, SubmitApplicationResult } from '../../../contract/application-schemas.ts';
import { ClusterChangeView, ClusterList, ClusterView, DetachClusterResult, JoinClusterResult } from '../../../contract/cluster-schemas.ts';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { clusterKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { call } from './api-server.ts';
import { eventually, startRuntimeApi, type RuntimeApi } from './runtime-api.ts';

const kubeconfigPaths = inject('clusterKubeconfigs');
const suffix = Date.now().toString(36);
const namespace = `api-join-${suffix}`;
const serviceAccount = `flotilla-api-${suffix}`;

let api: RuntimeApi;
let admin: { token: string };
const kubeconfigText: Record<string, string> = {};

function adminApi(cluster: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths[cluster]!);
  return kc.makeApiClient(CoreV1Api);
}

/** A kubeconfig that reaches `cluster` as a fresh ServiceAccount, by token. */
async function tokenKubeconfig(cluster: string): Promise<{ kubeconfig: string; token: string }> {
  const core = adminApi(cluster);
  await core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: serviceAccount } } });
  const request = await core.createNamespacedServiceAccountToken({ name: serviceAccount, namespace: 'default', body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = request.status!.token!;
  const base = JSON.parse(kubeconfigText[cluster]!) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[] };
  const kubeconfig = JSON.stringify({
    clusters: [{ name: cluster, cluster: base.clusters[0]!.cluster }],
    users: [{ name: 'robot', user: { token } }],
    contexts: [{ name: 'robot@member', context: { cluster, user: 'robot' } }],
    'current-context': 'robot@member',
  });
  return { kubeconfig, token };
}

/** Every secret a kubeconfig holds, raw and decoded: none may appear in the stored item. */
function secretsOf(kubeconfig: string): string[] {
  const parsed = JSON.parse(kubeconfig) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
  const values = [
    ...parsed.clusters.map((c) => c.cluster['certificate-authority-data']),
    ...parsed.users.flatMap((u) => [u.user['client-certificate-data'], u.user['client-key-data'], u.user.token]),
  ].filter((value): value is string => value !== undefined);
  const decoded = values.map((value) => Buffer.from(value, 'base64').toString('utf8')).filter((text) => text.includes('-----BEGIN'));
  return [...values, ...decoded.flatMap((pem) => pem.split('\n').filter((line) => line.length > 40))];
}

beforeAll(async () => {
  api = await startRuntimeApi();
  admin = { token: api.adminToken };
  for (const name of ['beijing-1', 'beijing-2', 'us-west-1']) kubeconfigText[name] = await readFile(kubeconfigPaths[name]!, 'utf8');
});
afterAll(async () => {
  await api?.stop();
  await adminApi('beijing-1').deleteNamespace({ name: namespace }).catch(() => undefined);
  await adminApi('us-west-1').deleteNamespacedServiceAccount({ name: serviceAccount, namespace: 'default' }).catch(() => undefined);
});

describe('cluster registry through the API', () => {
  let usWestToken = '';
  let usWestKubeconfig = '';

  it('joins beijing-1 by client certificate, with labels and a namespace created in the member cluster', async () => {
    const answer = await call(api, 'POST', '/clusters', { ...admin, body: { name: 'beijing-1', kubeconfig: kubeconfigText['beijing-1'], labels: { region: 'beijing' }, createNamespace: namespace } });
    expect(answer.status).toBe(201);
    const joined = JoinClusterResult.parse(answer.json);
    expect(joined).toMatchObject({ rotated: false, reruns: [], warnings: [], cluster: { name: 'beijing-1', type: 'X509Certificate', accepted: true, labels: { region: 'beijing' }, credentialVersion: 1 } });
    expect(joined.cluster.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(joined.cluster.kubernetesVersion).toMatch(/^v1\.\d+\.\d+/);
    expect((await adminApi('beijing-1').readNamespace({ name: namespace })).metadata?.name).toBe(namespace);
  });

  it('joins beijing-2 under the name its kubeconfig gives, and us-west-1 by ServiceAccount token', async () => {
    const beijing2 = await call(api, 'POST', '/clusters', { ...admin, body: { kubeconfig: kubeconfigText['beijing-2'] } });
    expect(beijing2.status).toBe(201);
    expect(JoinClusterResult.parse(beijing2.json).cluster.name).toBe('beijing-2');

    const { kubeconfig, token } = await tokenKubeconfig('us-west-1');
    usWestToken = token;
    usWestKubeconfig = kubeconfig;
    const usWest = await call(api, 'POST', '/clusters', { ...admin, body: { name: 'us-west-1', kubeconfig } });
    expect(usWest.status).toBe(201);
    expect(JoinClusterResult.parse(usWest.json).cluster).toMatchObject({ name: 'us-west-1', type: 'ServiceAccountToken', accepted: true });
  });

  it('stores no PEM block, no token and no key: the raw DynamoDB items hold sealed credentials only', async () => {
    const secrets: Record<string, string[]> = {
      'beijing-1': secretsOf(kubeconfigText['beijing-1']!),
      'beijing-2': secretsOf(kubeconfigText['beijing-2']!),
      'us-west-1': secretsOf(usWestKubeconfig),
    };
    for (const [name, values] of Object.entries(secrets)) {
      const item = await api.rawItem(clusterKey(name));
      expect(item, name).toBeDefined();
      const raw = JSON.stringify(item);
      expect(raw).toContain('"credentials"');
      expect(raw).not.toMatch(/-----BEGIN|PRIVATE KEY|CERTIFICATE-----/);
      expect(raw).not.toMatch(/"(token|client-key-data|client-certificate-data|certificate-authority-data|clientKeyData|clientCertificateData|caData)"/);
      expect(values.length).toBeGreaterThan(0);
      for (const secret of values) expect(raw.includes(secret), `${name} item holds a secret of its kubeconfig`).toBe(false);
    }
  });

  it('lists the three clusters, as any role may, and shows no credentials', async () => {
    const viewer = CreatedToken.parse((await call(api, 'POST', '/tokens', { ...admin, body: { name: 'viewer', role: 'viewer' } })).json).token;
    const answer = await call(api, 'GET', '/clusters', { token: viewer });
    expect(answer.status).toBe(200);
    const { clusters } = ClusterList.parse(answer.json);
    expect(clusters.map((c) => [c.name, c.type, c.accepted])).toEqual([
      ['beijing-1', 'X509Certificate', true],
      ['beijing-2', 'X509Certificate', true],
      ['us-west-1', 'ServiceAccountToken', true],
    ]);
    const listed = (answer.json as { clusters: Record<string, unknown>[] }).clusters;
    for (const cluster of listed) expect(Object.keys(cluster).filter((key) => !(key in ClusterView.shape))).toEqual([]);
    expect(answer.text).not.toMatch(/BEGIN|credentials|"token"/);
    expect(answer.text).not.toContain(usWestToken);
    const one = await call(api, 'GET', '/clusters/us-west-1', { token: viewer });
    expect(ClusterView.parse(one.json)).toEqual(clusters[2]);
  });

  it('adds and removes labels (the article: labels add us-west-1 provider=AWS)', async () => {
    const added = await call(api, 'POST', '/clusters/us-west-1/labels', { ...admin, body: { labels: { provider: 'AWS', tier: 'edge' } } });
    expect(added.status).toBe(200);
    expect(ClusterChangeView.parse(added.json).cluster.labels).toEqual({ provider: 'AWS', tier: 'edge' });
    const removed = await call(api, 'DELETE', '/clusters/us-west-1/labels?keys=tier', admin);
    expect(removed.status).toBe(200);
    expect(ClusterChangeView.parse(removed.json).cluster.labels).toEqual({ provider: 'AWS' });
    expect(ClusterView.parse((await call(api, 'GET', '/clusters/us-west-1', admin)).json).labels).toEqual({ provider: 'AWS' });
  });

  it('probes a cluster with its stored credentials', async () => {
    const answer = await call(api, 'POST', '/clusters/beijing-2/probe', admin);
    expect(answer.status).toBe(200);
    const probed = ClusterView.parse(answer.json);
    expect(probed).toMatchObject({ name: 'beijing-2', accepted: true });
    expect(probed.message).toBeUndefined();
  });

  it('renames a cluster and back, keeping its credentials', async () => {
    const renamed = await call(api, 'POST', '/clusters/beijing-2/rename', { ...admin, body: { newName: 'beijing-3' } });
    expect(renamed.status).toBe(200);
    expect(ClusterView.parse(renamed.json).name).toBe('beijing-3');
    expect((await call(api, 'GET', '/clusters/beijing-2', admin)).status).toBe(404);
    expect(ClusterView.parse((await call(api, 'POST', '/clusters/beijing-3/probe', admin)).json).accepted).toBe(true);
    expect((await call(api, 'POST', '/clusters/beijing-3/rename', { ...admin, body: { newName: 'beijing-2' } })).status).toBe(200);
  });

  it('rotates credentials only with overwrite, keeping the labels', async () => {
    const rotated = await call(api, 'POST', '/clusters', { ...admin, body: { name: 'beijing-1', kubeconfig: kubeconfigText['beijing-1'], overwrite: true } });
    expect(rotated.status).toBe(200);
    expect(JoinClusterResult.parse(rotated.json)).toMatchObject({ rotated: true, cluster: { credentialVersion: 2, labels: { region: 'beijing' } } });
  });

  it('runs applications again when a join or label change alters what their label selectors match', async () => {
    const appNamespace = `api-selector-${suffix}`;
    const label = `flotilla-api-${suffix}`;
    const document = {
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: 'follower', namespace: appNamespace },
      spec: {
        components: [{ name: 'follower-web', type: 'webservice', properties: { image: 'crccheck/hello-world', port: 8000 } }],
        policies: [{ type: 'topology', name: 'labelled', properties: { clusterLabelSelector: { [label]: 'yes' }, allowEmpty: true, createNamespace: true } }],
      },
    };
    const fixed = { ...document, metadata: { name: 'fixed', namespace: appNamespace }, spec: { ...document.spec, policies: [{ type: 'topology', name: 'named', properties: { clusters: ['beijing-2'], createNamespace: true } }] } };
    for (const body of [document, fixed]) expect(SubmitApplicationResult.parse((await call(api, 'POST', '/applications', { ...admin, body })).json).outcome).toBe('created');
    const runsOf = async (name: string) => (await api.store.runs.listForApplication(appNamespace, name)).length;
    await eventually('the first runs', async () => ((await runsOf('follower')) === 1 && (await runsOf('fixed')) === 1 ? true : undefined));

    const unrelated = ClusterChangeView.parse((await call(api, 'POST', '/clusters/beijing-1/labels', { ...admin, body: { labels: { unrelated: 'x' } } })).json);
    expect(unrelated.reruns).toEqual([]);

    const matching = ClusterChangeView.parse((await call(api, 'POST', '/clusters/beijing-1/labels', { ...admin, body: { labels: { [label]: 'yes' } } })).json);
    expect(matching.reruns.map((rerun) => [rerun.namespace, rerun.name, rerun.revision])).toEqual([[appNamespace, 'follower', 'follower-v1']]);
    await eventually('the re-run started by the label', async () => ((await runsOf('follower')) === 2 ? true : undefined));
    const [latest] = await api.store.runs.listForApplication(appNamespace, 'follower');
    expect(latest?.runId).toBe(matching.reruns[0]!.runId);

    const unmatched = ClusterChangeView.parse((await call(api, 'DELETE', `/clusters/beijing-1/labels?keys=${label},unrelated`, admin)).json);
    expect(unmatched.reruns.map((rerun) => rerun.name)).toEqual(['follower']);

    const detached = DetachClusterResult.parse((await call(api, 'DELETE', '/clusters/us-west-1', admin)).json);
    expect(detached).toEqual({ cluster: 'us-west-1', orphaned: [] });
    const rejoined = JoinClusterResult.parse((await call(api, 'POST', '/clusters', { ...admin, body: { kubeconfig: kubeconfigText['us-west-1'], labels: { [label]: 'yes' } } })).json);
    expect(rejoined.reruns.map((rerun) => rerun.name)).toEqual(['follower']);
    expect(await runsOf('fixed')).toBe(1);

    for (const name of ['follower', 'fixed']) expect((await call(api, 'DELETE', `/namespaces/${appNamespace}/applications/${name}`, admin)).status).toBe(202);
    await eventually('both applications gone', async () => {
      const { applications } = ApplicationList.parse((await call(api, 'GET', `/applications?namespace=${appNamespace}`, admin)).json);
      return applications.length === 0 ? true : undefined;
    });
  });

  it('detaches a cluster; it is gone from the list', async () => {
    const answer = await call(api, 'DELETE', '/clusters/us-west-1', admin);
    expect(answer.status).toBe(200);
    expect(DetachClusterResult.parse(answer.json)).toEqual({ cluster: 'us-west-1', orphaned: [] });
    const { clusters } = ClusterList.parse((await call(api, 'GET', '/clusters', admin)).json);
    expect(clusters.map((c) => c.name)).toEqual(['beijing-1', 'beijing-2']);
  });
});
