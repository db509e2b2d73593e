// diff, diff --live, status --tree, status --endpoint and logs through HTTP and the CLI, in the local runtime (the
// applier answers the queries with the stored credentials) against real clusters: beijing-1 and a cluster of this
// file's own, started with kwok's pod-log and load-balancer simulation. Every route refuses a token of another namespace.
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clustersDown, clustersUp, ingressAddress, writePodLog } from '../../../devenv/clusters/kwok.ts';
import { ApplicationTree, DiffResult, EndpointsResult, LogsResult, QueryView } from '../../../contract/query-schemas.ts';
import { ErrorBody } from '../../../contract/error-schemas.ts';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { ApplicationStatus } from '../../../lib/core/status/application-status.ts';
import { seedDocument } from '../engine/engine-harness.ts';
import { runCli } from '../../unit/cli/cli-harness.ts';
import { call } from './api-server.ts';
import { eventually, startRuntimeApi, type RuntimeApi } from './runtime-api.ts';

const kubeconfigPaths = inject('clusterKubeconfigs');
const suffix = Date.now().toString(36);
const namespace = `queries-${suffix}`;
const own = `queries-${suffix}`;
const crashLine = `panic: runtime error: index out of range [3] with length 3 (${suffix})`;

let api: RuntimeApi;
let admin: { token: string };
let viewer: { token: string };
let outsider: { token: string };
let ownKubeconfig = '';

/** The seed article's basic app, in this file's namespace, on beijing-1 and the cluster of its own. */
async function seedApp(): Promise<Record<string, any>> {
  const document = await seedDocument('basic', namespace);
  document.spec.policies[0].properties.clusters = ['beijing-1', own];
  return document;
}

/** A LoadBalancer Service next to the seed app: what `--endpoint` has to show besides the Ingress. */
function edgeApp(): Record<string, any> {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'edge', namespace },
    spec: {
      components: [{ name: 'edge', type: 'webservice', properties: { image: 'nginx:1.27', ports: [{ port: 80, expose: true }], exposeType: 'LoadBalancer' } }],
      policies: [{ type: 'topology', name: 'own', properties: { clusters: [own], namespace, createNamespace: true } }],
    },
  };
}

async function deployed(name: string): Promise<ApplicationStatus> {
  return eventually(`${name} running`, async () => {
    const status = ApplicationStatus.parse((await call(api, 'GET', `/namespaces/${namespace}/applications/${name}/status`, admin)).json);
    return status.about.status === 'running' ? status : undefined;
  });
}

const cli = (argv: string[], token = admin.token) => runCli(argv, { env: { FLOTILLA_ENDPOINT: api.url, FLOTILLA_TOKEN: token, NO_COLOR: '1' } });

beforeAll(async () => {
  const [started] = await clustersUp([own]);
  ownKubeconfig = started!.kubeconfig;
  api = await startRuntimeApi();
  admin = { token: api.adminToken };
  for (const kubeconfig of [await readFile(kubeconfigPaths['beijing-1']!, 'utf8'), await readFile(ownKubeconfig, 'utf8')]) {
    expect((await call(api, 'POST', '/clusters', { ...admin, body: { kubeconfig } })).status).toBe(201);
  }
  const token = async (body: unknown) => ({ token: CreatedToken.parse((await call(api, 'POST', '/tokens', { ...admin, body })).json).token });
  viewer = await token({ name: 'team viewer', role: 'viewer', namespaces: [namespace] });
  outsider = await token({ name: 'other team', role: 'deployer', namespaces: [`other-${suffix}`] });
  expect((await call(api, 'POST', '/applications', { ...admin, body: await seedApp() })).status).toBe(202);
  expect((await call(api, 'POST', '/applications', { ...admin, body: edgeApp() })).status).toBe(202);
  await deployed('example-app');
  await deployed('edge');
}, 600_000);

afterAll(async () => {
  await call(api, 'DELETE', `/namespaces/${namespace}/applications/example-app`, admin).catch(() => undefined);
  await call(api, 'DELETE', `/namespaces/${namespace}/applications/edge`, admin).catch(() => undefined);
  await eventually('the apps gone', async () => ((await call(api, 'GET', `/applications?namespace=${namespace}`, admin)).text.includes('"applications":[]') ? true : undefined), 60_000).catch(() => undefined);
  await api?.stop();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths['beijing-1']!);
  await kc.makeApiClient((await import('@kubernetes/client-node')).CoreV1Api).deleteNamespace({ name: namespace }).catch(() => undefined);
  await clustersDown([own]);
});

/** The seed app with a new image and a component added. */
async function changedApp(): Promise<Record<string, any>> {
  const document = await seedApp();
  document.spec.components[0].properties.image = 'crccheck/hello-world:v2';
  document.spec.components.push({ name: 'worker', type: 'worker', properties: { image: 'busybox:1.36', cmd: ['sleep', '3600'] } });
  return document;
}

describe('flotilla diff', () => {
  it('shows the changed image and the added component per cluster, against the current revision', async () => {
    const answer = await call(api, 'POST', '/applications/diff', { token: viewer.token, body: await changedApp() });
    expect(answer.status).toBe(200);
    const diff = DiffResult.parse(answer.json);
    expect(diff.current).toBe('example-app-v1');
    expect(diff.clusters.map((cluster) => cluster.cluster)).toEqual(['beijing-1', own]);
    for (const cluster of diff.clusters) {
      const changed = cluster.objects.filter((object) => object.change !== 'unchanged');
      expect(changed).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace,
          name: 'hello-world-server',
          component: 'hello-world-server',
          change: 'changed',
          fields: [{ path: 'spec.template.spec.containers[0].image', before: 'crccheck/hello-world', after: 'crccheck/hello-world:v2' }],
        },
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'worker', component: 'worker', change: 'added' },
      ]);
    }
    const printed = await cli(['diff', '-f', await writeTemp(await changedApp())]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`Cluster ${own}: 1 added, 1 changed, 0 removed`);
    expect(printed.stdout).toContain('~ Deployment');
    expect(printed.stdout).toContain('spec.template.spec.containers[0].image: "crccheck/hello-world" -> "crccheck/hello-world:v2"');
    expect(printed.stdout).toContain(`+ Deployment ${namespace}/worker (component worker)`);
  });

  it('--live: each cluster dry-runs the objects and says what it would change on the live ones, changing nothing', async () => {
    const answer = await call(api, 'POST', '/applications/diff?live=true', { token: viewer.token, body: await changedApp() });
    expect(answer.status).toBe(200);
    const live = DiffResult.parse(answer.json).live!;
    expect(live.done).toBe(true);
    expect(live.parts.map((part) => [part.cluster, part.state])).toEqual([['beijing-1', 'done'], [own, 'done']]);
    for (const part of live.parts) {
      const objects = part.answer?.kind === 'live-diff' ? part.answer.objects : [];
      const byName = new Map(objects.map((object) => [`${object.kind}/${object.name}`, object]));
      expect(byName.get('Deployment/worker')?.change).toBe('added');
      const server = byName.get('Deployment/hello-world-server')!;
      expect(server.change).toBe('changed');
      expect(server.fields).toContainEqual({ path: 'spec.template.spec.containers[0].image', before: 'crccheck/hello-world', after: 'crccheck/hello-world:v2' });
      expect(byName.get('Ingress/hello-world-server')?.change).toBe('unchanged');
    }
    // A dry run: the live Deployment keeps its image and no worker exists.
    const apps = appsApi(ownKubeconfig);
    const live1 = await apps.readNamespacedDeployment({ name: 'hello-world-server', namespace });
    expect(live1.spec?.template.spec?.containers[0]?.image).toBe('crccheck/hello-world');
    await expect(apps.readNamespacedDeployment({ name: 'worker', namespace })).rejects.toMatchObject({ code: 404 });

    const printed = await cli(['diff', '-f', await writeTemp(await changedApp()), '--live']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('Live (server-side dry run in each cluster)');
    expect(printed.stdout).toContain(`Cluster ${own} (${namespace}): done`);
  });
});

describe('flotilla status --tree and --endpoint', () => {
  it('--tree lists cluster -> objects with health and drift, and sees a live edit as drift', async () => {
    const apps = appsApi(ownKubeconfig);
    await apps.patchNamespacedDeployment({ name: 'hello-world-server', namespace, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'crccheck/hello-world:edited' }] });
    const tree = ApplicationTree.parse((await call(api, 'GET', `/namespaces/${namespace}/applications/example-app/tree`, viewer)).json);
    expect(tree.revision).toBe('example-app-v1');
    expect(tree.clusters.map((cluster) => cluster.cluster)).toEqual(['beijing-1', own]);
    const objects = (cluster: string) => tree.clusters.find((branch) => branch.cluster === cluster)!.objects.map(({ kind, name, healthy, drift }) => ({ kind, name, healthy, drift }));
    expect(objects('beijing-1')).toEqual([
      { kind: 'Deployment', name: 'hello-world-server', healthy: true, drift: 'none' },
      { kind: 'Service', name: 'hello-world-server', healthy: true, drift: 'none' },
      { kind: 'Ingress', name: 'hello-world-server', healthy: true, drift: 'none' },
    ]);
    expect(objects(own)).toContainEqual({ kind: 'Deployment', name: 'hello-world-server', healthy: true, drift: 'drifted' });
    const drifted = tree.clusters.find((branch) => branch.cluster === own)!.objects.find((object) => object.kind === 'Deployment')!;
    expect(drifted.driftedFields).toContainEqual({ path: 'spec.template.spec.containers[0].image', before: 'crccheck/hello-world:edited', after: 'crccheck/hello-world' });

    const printed = await cli(['status', 'example-app', '-n', namespace, '--tree']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`├─ beijing-1 (namespace ${namespace})`);
    expect(printed.stdout).toMatch(/Deployment\/hello-world-server\s+hello-world-server\s+healthy\s+drifted: spec\.template\.spec\.containers\[0\]\.image/);
  });

  it('--endpoint shows the Ingress host and load-balancer address and the LoadBalancer Service address and node port', async () => {
    const seed = EndpointsResult.parse((await call(api, 'GET', `/namespaces/${namespace}/applications/example-app/endpoints`, viewer)).json);
    expect(seed.done).toBe(true);
    for (const part of seed.parts) {
      const endpoints = part.answer?.kind === 'endpoints' ? part.answer.endpoints : [];
      expect(endpoints).toContainEqual({
        component: 'hello-world-server',
        kind: 'Ingress',
        name: 'hello-world-server',
        addresses: ['http://testsvc-mc.example.com/', `${ingressAddress(part.cluster)} (load balancer)`],
      });
    }
    const edge = EndpointsResult.parse((await eventually('the load balancer address', async () => {
      const answer = EndpointsResult.parse((await call(api, 'GET', `/namespaces/${namespace}/applications/edge/endpoints`, viewer)).json);
      const service = answer.parts[0]?.answer?.kind === 'endpoints' ? answer.parts[0].answer.endpoints[0] : undefined;
      return service?.addresses.some((address) => address.startsWith(ingressAddress(own))) ? { json: answer } : undefined;
    }, 30_000)).json);
    const service = edge.parts[0]!.answer!.kind === 'endpoints' ? edge.parts[0]!.answer!.endpoints[0]! : undefined;
    expect(service).toMatchObject({ kind: 'Service', name: 'edge', type: 'LoadBalancer' });
    expect(service!.addresses[0]).toBe(`${ingressAddress(own)}:80`);
    expect(service!.addresses[1]).toMatch(/^nodePort \d+\/TCP$/);

    const printed = await cli(['status', 'edge', '-n', namespace, '--endpoint']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(new RegExp(`${own}\\s+edge\\s+Service/${namespace}/edge\\s+${ingressAddress(own).replaceAll('.', '\\.')}:80`));
  });
});

describe('flotilla logs', () => {
  it("shows a crashing container's last lines, bounded, and says how to follow", async () => {
    await writePodLog(own, ['starting hello-world', crashLine], 'stderr');
    const answer = await call(api, 'GET', `/namespaces/${namespace}/applications/example-app/logs?cluster=${own}&component=hello-world-server&tail=5`, viewer);
    expect(answer.status).toBe(200);
    const logs = LogsResult.parse(answer.json);
    expect(logs.parts).toHaveLength(1);
    const part = logs.parts[0]!;
    expect(part).toMatchObject({ cluster: own, namespace, state: 'done' });
    const entries = part.answer?.kind === 'logs' ? part.answer.logs : [];
    expect(entries).toHaveLength(3); // the scaler's three replicas, one container each
    for (const entry of entries) {
      expect(entry).toMatchObject({ component: 'hello-world-server', container: 'hello-world-server' });
      expect(entry.text).toContain(crashLine);
    }
    expect(logs.follow).toEqual([`kubectl --context ${own} -n ${namespace} logs -f -l app.oam.dev/component=hello-world-server --all-containers --tail=5`]);

    const printed = await cli(['logs', 'example-app', '-n', namespace, '--cluster', own, '--tail', '1'], viewer.token);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(crashLine);
    expect(printed.stdout).not.toContain('starting hello-world');
    expect(printed.stderr).toContain('No follow through Flotilla (Lambda answers once)');
    expect(printed.stderr).toContain(`kubectl --context ${own} -n ${namespace} logs -f`);
  });

  it('reads a query again from its poll URL', async () => {
    const logs = LogsResult.parse((await call(api, 'GET', `/namespaces/${namespace}/applications/example-app/logs?cluster=${own}&tail=1`, viewer)).json);
    const again = await call(api, 'GET', new URL(logs.poll).pathname, viewer);
    expect(again.status).toBe(200);
    expect(QueryView.parse(again.json)).toMatchObject({ id: logs.id, kind: 'logs', done: true, name: 'example-app' });
    expect((await call(api, 'GET', new URL(logs.poll).pathname, outsider)).status).toBe(403);
    expect((await call(api, 'GET', new URL(logs.poll).pathname.replace(namespace, 'default'), admin)).status).toBe(404);
  });
});

describe('a token of another namespace', () => {
  it('is refused (403) by diff, diff --live, tree, endpoint and logs, through HTTP and the CLI', async () => {
    const app = `/namespaces/${namespace}/applications/example-app`;
    const refusals = [
      await call(api, 'POST', '/applications/diff', { ...outsider, body: await changedApp() }),
      await call(api, 'POST', '/applications/diff?live=true', { ...outsider, body: await changedApp() }),
      await call(api, 'GET', `${app}/tree`, outsider),
      await call(api, 'GET', `${app}/endpoints`, outsider),
      await call(api, 'GET', `${app}/logs`, outsider),
    ];
    for (const answer of refusals) {
      expect(answer.status).toBe(403);
      expect(ErrorBody.parse(answer.json).error.message).toContain(`other-${suffix}`);
    }
    for (const argv of [['status', 'example-app', '-n', namespace, '--tree'], ['status', 'example-app', '-n', namespace, '--endpoint'], ['logs', 'example-app', '-n', namespace]]) {
      const printed = await cli(argv, outsider.token);
      expect(printed.code).toBe(1);
      expect(printed.stderr).toContain(`other-${suffix}`);
    }
  });
});

function appsApi(kubeconfig: string): AppsV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.makeApiClient(AppsV1Api);
}

async function writeTemp(document: unknown): Promise<string> {
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const path = join(await mkdtemp(join(tmpdir(), 'flotilla-diff-')), 'app.yaml');
  await writeFile(path, stringify(document));
  return path;
}
