// The KubeVela v1.3 multi-cluster article, typed as written with `flotilla` in place of `vela`: join the three
// clusters, list them, deploy basic.yaml, look at its status, label us-west-1, list again, deploy intermediate.yaml and
// advanced.yaml and look at the status after each. The control plane is `npm start` (its own data dir, table prefix and
// port, on the moto the e2e setup provides); the member clusters are the three real ones. Each command is the bin in
// its own process, and the assertions are on what it prints.
//
// Isolation: other suites deploy to the same clusters, so the seed files are copied with a namespace of this run's own
// and `createNamespace: true` on their topology policies (a Flotilla extension; the article had to create the
// namespace by hand); FLOTILLA_NAMESPACE makes that namespace the one `flotilla status example-app` looks in.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isMap, isSeq, parseDocument } from 'yaml';
import { ingressAddress } from '../../devenv/clusters/kwok.ts';
import { ApplicationStatus } from '../../lib/core/status/application-status.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin', 'flotilla.js');
const kubeconfigs = inject('clusterKubeconfigs');
const moto = inject('motoEndpoint');
const run = Date.now().toString(36);
const namespace = `seed-article-${run}`;
const clusters = ['beijing-1', 'beijing-2', 'us-west-1'] as const;

let work: string;
let controlPlane: ChildProcess | undefined;
let controlPlaneLog = '';
let endpoint: string;
let token: string;
const endpoints: Record<string, string> = {};

interface Printed {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `flotilla <args>` in the article's working directory, as a person would type it. */
async function flotilla(...args: string[]): Promise<Printed> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: work,
    env: {
      ...process.env,
      FLOTILLA_ENDPOINT: endpoint,
      FLOTILLA_TOKEN: token,
      FLOTILLA_NAMESPACE: namespace,
      FLOTILLA_CONFIG: join(work, 'config.yaml'),
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** Like the article's reader, wait before looking: until the status shows `revision` finished (read with the CLI too). */
async function untilFinished(revision: string, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const printed = await flotilla('status', 'example-app', '-o', 'json');
    if (printed.code === 0) {
      const status = ApplicationStatus.parse(JSON.parse(printed.stdout));
      last = `${status.about.status} ${status.workflow?.revision ?? '-'} ${status.workflow?.steps.map((s) => `${s.name}:${s.phase}:${s.message}`).join(',') ?? ''}`;
      if (status.workflow?.revision === revision && status.workflow.finished) return;
    } else last = printed.stderr;
    await sleep(1000);
  }
  throw new Error(`${revision} did not finish within ${timeoutMs / 1000}s; last status: ${last}`);
}

/** The article's screens are shown with runs of blanks and tabs as one blank. */
function squeezed(text: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim());
}

/** The seed file, in this run's namespace, with its topologies creating that namespace. */
function seedCopy(name: string): void {
  const doc = parseDocument(readFileSync(join(repo, 'test', 'fixtures', 'seed', name), 'utf8'));
  doc.setIn(['metadata', 'namespace'], namespace);
  const policies = doc.getIn(['spec', 'policies']);
  if (!isSeq(policies)) throw new Error(`${name} has no policies`);
  for (const policy of policies.items) {
    if (isMap(policy) && policy.get('type') === 'topology') policy.setIn(['properties', 'createNamespace'], true);
  }
  writeFileSync(join(work, name), doc.toString());
}

async function startControlPlane(): Promise<void> {
  const dataDir = join(work, 'control-plane');
  // A KMS key id left in this process's environment would point the control plane at someone else's key.
  const { CREDENTIALS_KMS_KEY_ID: _kms, ...inherited } = process.env;
  // detached: npm, its shell and node share a process group of their own, stopped as one in afterAll.
  controlPlane = spawn('npm', ['start'], {
    cwd: repo,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      PORT: '0',
      FLOTILLA_DATA_DIR: dataDir,
      FLOTILLA_PREFIX: `seed-article-${run}`,
      FLOTILLA_BACKEND: 'external',
      FLOTILLA_REFRESH_SECONDS: '10',
      DEFAULT_STEP_TIMEOUT_SECONDS: '120',
      AWS_ENDPOINT_URL_DYNAMODB: moto,
      AWS_ENDPOINT_URL_SQS: moto,
      AWS_ENDPOINT_URL_KMS: moto,
      AWS_ACCESS_KEY_ID: 'flotilla-test',
      AWS_SECRET_ACCESS_KEY: 'flotilla-test',
      AWS_REGION: 'us-east-1',
      CREDENTIALS_KEY_FILE: join(dataDir, 'credentials.key'),
    },
  });
  const append = (chunk: Buffer) => (controlPlaneLog += chunk.toString('utf8'));
  controlPlane.stdout?.on('data', append);
  controlPlane.stderr?.on('data', append);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const listening = /control plane listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(controlPlaneLog);
    if (listening?.[1] !== undefined) {
      endpoint = listening[1];
      break;
    }
    if (controlPlane.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${controlPlaneLog}`);
    await sleep(200);
  }
  token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
}

async function stopControlPlane(): Promise<void> {
  const child = controlPlane;
  if (child?.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
  if (!stopped) process.kill(-child.pid, 'SIGKILL');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'flotilla-seed-article-'));
  for (const name of clusters) {
    const path = kubeconfigs[name];
    if (path === undefined) throw new Error(`the e2e setup provides no kubeconfig for ${name}`);
    copyFileSync(path, join(work, `${name}.kubeconfig`));
    const server = (JSON.parse(readFileSync(path, 'utf8')) as { clusters: { cluster: { server: string } }[] }).clusters[0]?.cluster.server;
    endpoints[name] = server ?? '';
  }
  for (const name of ['basic.yaml', 'intermediate.yaml', 'advanced.yaml']) seedCopy(name);
  await startControlPlane();
});

afterAll(async () => {
  try {
    if (endpoint !== undefined) await flotilla('delete', 'example-app', '--wait', '--timeout', '2m');
  } finally {
    await stopControlPlane();
    for (const name of clusters) {
      const path = kubeconfigs[name];
      if (path === undefined) continue;
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace }).catch(() => undefined);
    }
    rmSync(work, { recursive: true, force: true });
  }
});

const header = 'CLUSTER TYPE ENDPOINT ACCEPTED LABELS';

describe('the seed article, typed with flotilla', () => {
  it('➜ flotilla cluster join beijing-1.kubeconfig --name beijing-1 (and beijing-2, us-west-1)', async () => {
    for (const name of clusters) {
      const printed = await flotilla('cluster', 'join', `${name}.kubeconfig`, '--name', name);
      expect(printed, controlPlaneLog).toEqual({ code: 0, stdout: `Successfully add cluster ${name}, endpoint: ${endpoints[name]}.\n`, stderr: '' });
    }
  });

  it('➜ flotilla cluster list', async () => {
    const printed = await flotilla('cluster', 'list');
    expect(printed.code).toBe(0);
    expect(squeezed(printed.stdout)).toEqual([header, ...clusters.map((name) => `${name} X509Certificate ${endpoints[name]} true`)]);
  });

  it('➜ flotilla up -f basic.yaml', async () => {
    const printed = await flotilla('up', '-f', 'basic.yaml');
    expect(printed.code).toBe(0);
    expect(printed.stderr).toBe(
      'Applying an application in vela K8s object format...\n"creating object" name="example-app" resource="core.oam.dev/v1beta1, Kind=Application"\n',
    );
    // vela prints its rocket here, before anything is deployed; Flotilla says what happened: a run started.
    expect(printed.stdout).toBe(
      '🚀 Submitted example-app-v1: its workflow run started; nothing is deployed until it succeeds (up --wait follows it)\n      App status: flotilla status example-app\n  Service status: flotilla status example-app --svc hello-world-server\n',
    );
  });

  it('➜ flotilla status example-app', async () => {
    await untilFinished('example-app-v1');
    // The simulated load balancer gives each Ingress its address shortly after it is created; a health read before
    // that says `No loadBalancer found` (as KubeVela's gateway status does), and the next refresh (10 s here) shows it.
    let printed = await flotilla('status', 'example-app');
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && (printed.stdout.match(/Visiting URL/g) ?? []).length < 2; ) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      printed = await flotilla('status', 'example-app');
    }
    expect(printed.code).toBe(0);
    const screen = squeezed(printed.stdout);
    expect(screen.slice(0, 7)).toEqual(['About:', '', 'Name: example-app', `Namespace: ${namespace}`, expect.stringMatching(/^Created at: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/), 'Status: running', '']);
    expect(screen.slice(7, 20)).toEqual([
      'Workflow:',
      '',
      'mode: DAG',
      'finished: true',
      'Suspend: false',
      'Terminated: false',
      'Steps',
      expect.stringMatching(/^- id:[a-z0-9]{10}$/),
      'name:deploy-beijing-clusters',
      'type:deploy',
      'phase:succeeded',
      'message:',
      '',
    ]);
    expect(servicesOf(screen)).toEqual([service('beijing-1', 3), service('beijing-2', 3)]);
  });

  it('➜ flotilla cluster labels add us-west-1 provider=AWS', async () => {
    expect(await flotilla('cluster', 'labels', 'add', 'us-west-1', 'provider=AWS')).toEqual({
      code: 0,
      stdout: 'Successfully update labels for cluster us-west-1 (type: X509Certificate).\nprovider=AWS\n',
      stderr: '',
    });
  });

  it('➜ flotilla cluster list, with the label', async () => {
    const printed = await flotilla('cluster', 'list');
    expect(squeezed(printed.stdout)).toEqual([
      header,
      `beijing-1 X509Certificate ${endpoints['beijing-1']} true`,
      `beijing-2 X509Certificate ${endpoints['beijing-2']} true`,
      `us-west-1 X509Certificate ${endpoints['us-west-1']} true provider=AWS`,
    ]);
  });

  it('➜ flotilla up -f intermediate.yaml, then flotilla status example-app', async () => {
    const up = await flotilla('up', '-f', 'intermediate.yaml');
    expect(up.code).toBe(0);
    expect(up.stderr).toContain('"patching object" name="example-app" resource="core.oam.dev/v1beta1, Kind=Application"\n');
    expect(up.stdout.split('\n')[0]).toBe('🚀 Submitted example-app-v2: its workflow run started; nothing is deployed until it succeeds (up --wait follows it)');
    await untilFinished('example-app-v2');
    const printed = await flotilla('status', 'example-app');
    expect(printed.code).toBe(0);
    const screen = squeezed(printed.stdout);
    expect(screen).toContain('Status: running');
    expect(servicesOf(screen)).toEqual([service('beijing-1', 3), service('beijing-2', 3), service('us-west-1', 3)]);
  });

  it('➜ flotilla up -f advanced.yaml, then flotilla status example-app', async () => {
    const up = await flotilla('up', '-f', 'advanced.yaml');
    expect(up.code).toBe(0);
    expect(up.stdout.split('\n')[0]).toBe('🚀 Submitted example-app-v3: its workflow run started; nothing is deployed until it succeeds (up --wait follows it)');
    await untilFinished('example-app-v3');
    const printed = await flotilla('status', 'example-app');
    expect(printed.code).toBe(0);
    const screen = squeezed(printed.stdout);
    expect(screen).toContain('mode: StepByStep');
    expect(screen.filter((line) => line.startsWith('name:'))).toEqual(['name:deploy-beijing', 'name:deploy-aws']);
    expect(screen.filter((line) => line.startsWith('phase:'))).toEqual(['phase:succeeded', 'phase:succeeded']);
    expect(servicesOf(screen)).toEqual([service('beijing-1', 3), service('beijing-2', 3), service('us-west-1', 5)]);
    // The article's last screen, line for line.
    const usWest = screen.indexOf('Cluster: us-west-1 Namespace: ' + namespace);
    expect(screen.slice(usWest - 1, usWest + 5)).toEqual([
      '- Name: hello-world-server',
      `Cluster: us-west-1 Namespace: ${namespace}`,
      'Type: webservice',
      'Healthy Ready:5/5',
      'Traits:',
      `✅ scaler ✅ gateway: Visiting URL: testsvc-mc.example.com, IP: ${ingressAddress('us-west-1')}`,
    ]);
  });
});

describe('beyond the article', () => {
  it('➜ flotilla up -f advanced.yaml --wait: progress on stderr until the new revision ran, then its status', async () => {
    // A new publishVersion makes a new revision of the same spec, whose workflow runs again.
    const doc = parseDocument(readFileSync(join(work, 'advanced.yaml'), 'utf8'));
    doc.setIn(['metadata', 'annotations', 'app.oam.dev/publishVersion'], 'article-v4');
    writeFileSync(join(work, 'advanced-v4.yaml'), doc.toString());
    const printed = await flotilla('up', '-f', 'advanced-v4.yaml', '--wait', '--poll-interval', '500ms');
    expect(printed.code, printed.stderr).toBe(0);
    const progress = printed.stderr.split('\n');
    expect(progress.slice(0, 3)).toEqual([
      'Applying an application in vela K8s object format...',
      '"patching object" name="example-app" resource="core.oam.dev/v1beta1, Kind=Application"',
      'Waiting for example-app-v4 (timeout 5m0s)',
    ]);
    expect(progress).toContain('step deploy-aws (deploy): succeeded');
    expect(progress).toContain(`us-west-1/${namespace} hello-world-server: Healthy Ready:5/5`);
    expect(progress).toContain('example-app-v4: running');
    expect(progress.some((line) => line.startsWith('Error'))).toBe(false);
    const screen = squeezed(printed.stdout);
    expect(screen).toContain('Status: running');
    expect(servicesOf(screen)).toEqual([service('beijing-1', 3), service('beijing-2', 3), service('us-west-1', 5)]);
    expect(screen.at(-3)).toBe('✅ App has been deployed 🚀🚀🚀');
  });
});

/** Each service entry of a status screen, as its five lines after `- Name:`. */
function servicesOf(screen: string[]): string[][] {
  const entries: string[][] = [];
  screen.forEach((line, index) => {
    if (line.startsWith('- Name: ')) entries.push(screen.slice(index, index + 6));
  });
  return entries;
}

function service(cluster: string, replicas: number): string[] {
  return [
    '- Name: hello-world-server',
    `Cluster: ${cluster} Namespace: ${namespace}`,
    'Type: webservice',
    `Healthy Ready:${replicas}/${replicas}`,
    'Traits:',
    `✅ scaler ✅ gateway: Visiting URL: testsvc-mc.example.com, IP: ${ingressAddress(cluster)}`,
  ];
}
