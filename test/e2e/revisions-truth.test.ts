// Issue 14, items 4, 7 and 8, against `npm start` and the real beijing-1 cluster: which revision is CURRENT after a
// rollback and what a later submit is compared with; what `flotilla up` says it did; and app.oam.dev/publishVersion as
// KubeVela documents it, also for a trigger's revision. Each assertion on Flotilla's answer is paired with what the
// cluster holds (the Deployment's image, read with client-node). The CLI is the bin in its own process.
import { createHmac, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { connectCluster } from '../../lib/adapters/kubernetes/cluster-client.ts';
import { seedDocument } from '../integration/engine/engine-harness.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';

const bin = fileURLToPath(new URL('../../bin/flotilla.js', import.meta.url));
const suffix = Date.now().toString(36);
const component = 'hello-world-server';
let plane: ControlPlane;
let work: string;
const namespaces: string[] = [];

beforeAll(async () => {
  plane = await startControlPlane({ env: { DEFAULT_STEP_TIMEOUT_SECONDS: '90' } });
  work = await mkdtemp(join(tmpdir(), 'flotilla-revisions-'));
  const kubeconfig = await readFile(inject('clusterKubeconfigs')['beijing-1']!, 'utf8');
  const joined = await call(plane, 'POST', '/clusters', { name: 'beijing-1', kubeconfig });
  expect(joined.status, joined.text).toBe(201);
});

afterAll(async () => {
  // The applications leave the cluster before the control plane stops.
  for (const namespace of namespaces) await call(plane, 'DELETE', `/namespaces/${namespace}/applications/example-app`);
  for (const namespace of namespaces) {
    const deadline = Date.now() + 60_000;
    while ((await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app`)).status !== 404 && Date.now() < deadline) await sleep(300);
  }
  await plane?.stop();
});

interface Printed {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function flotilla(namespace: string, ...args: string[]): Promise<Printed> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: work,
    env: { ...process.env, FLOTILLA_ENDPOINT: plane.url, FLOTILLA_TOKEN: plane.token, FLOTILLA_NAMESPACE: namespace, FLOTILLA_CONFIG: join(work, 'config.yaml'), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** The seed's basic.yaml on beijing-1 only, at `image`, optionally under a publishVersion; written to `file`. */
async function writeApp(namespace: string, file: string, image: string, publishVersion?: string): Promise<string> {
  const document = await seedDocument('basic', namespace);
  document.spec.policies[0].properties.clusters = ['beijing-1'];
  document.spec.components[0].properties.image = image;
  if (publishVersion !== undefined) document.metadata.annotations = { 'app.oam.dev/publishVersion': publishVersion };
  await writeFile(join(work, file), stringify(document));
  return file;
}

async function imageIn(namespace: string): Promise<string | undefined> {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')['beijing-1']!);
  const live = (await connectCluster(kc, { policy: localEndpointPolicy }).read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: component, namespace } })) as
    | { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }
    | undefined;
  return live?.spec?.template?.spec?.containers?.[0]?.image;
}

async function finished(namespace: string, revision: string): Promise<any> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const answer = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/status`);
    if (answer.body?.workflow?.revision === revision && answer.body.workflow.finished) return answer.body;
    if (Date.now() > deadline) throw new Error(`${revision} did not finish: ${answer.text}`);
    await sleep(300);
  }
}

async function revisions(namespace: string): Promise<{ name: string; current: boolean; publishVersion?: string }[]> {
  const printed = await flotilla(namespace, 'revisions', 'example-app', '-o', 'json');
  expect(printed.code, printed.stderr).toBe(0);
  return JSON.parse(printed.stdout);
}

const currentOf = async (namespace: string) => (await revisions(namespace)).filter((revision) => revision.current).map((revision) => revision.name);

describe('revisions tell the truth', () => {
  it('up says what happened: submitted (a run started), unchanged (no run), deployed (only after --wait succeeded)', async () => {
    const namespace = `wording-${suffix}`;
    namespaces.push(namespace);
    const v1 = await writeApp(namespace, 'wording-v1.yaml', 'crccheck/hello-world:v1');
    const first = await flotilla(namespace, 'up', '-f', v1);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('\n')[0]).toBe('🚀 Submitted example-app-v1: its workflow run started; nothing is deployed until it succeeds (up --wait follows it)');
    expect(first.stdout).toContain('App status: flotilla status example-app\n');
    expect(first.stdout).not.toContain('has been deployed');
    await finished(namespace, 'example-app-v1');
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v1');

    const same = await flotilla(namespace, 'up', '-f', v1);
    expect(same.stdout.split('\n')[0]).toMatch(/^➖ Unchanged: example-app has not changed since example-app-v1, no workflow run started\. The latest workflow run, of example-app-v1, is succeeded\.$/);
    expect(same.stdout).not.toContain('has been deployed');

    const second = await flotilla(namespace, 'up', '-f', await writeApp(namespace, 'wording-v2.yaml', 'crccheck/hello-world:v2'), '--wait', '--poll-interval', '300ms');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('\n✅ App has been deployed 🚀🚀🚀\n');
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v2');
  });

  it('after a rollback the rolled-back revision is CURRENT everywhere, and a submit is compared with it', async () => {
    const namespace = `rollback-${suffix}`;
    namespaces.push(namespace);
    const v1 = await writeApp(namespace, 'rollback-v1.yaml', 'crccheck/hello-world:v1');
    const v2 = await writeApp(namespace, 'rollback-v2.yaml', 'crccheck/hello-world:v2');
    const submit = async (file: string) => (await call(plane, 'POST', '/applications', await readFile(join(work, file), 'utf8'))).body;

    expect(await submit(v1)).toMatchObject({ outcome: 'created', revision: 'example-app-v1' });
    await finished(namespace, 'example-app-v1');
    expect(await submit(v2)).toMatchObject({ outcome: 'created', revision: 'example-app-v2' });
    await finished(namespace, 'example-app-v2');
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v2');

    const rolledBack = await flotilla(namespace, 'workflow', 'rollback', 'example-app');
    expect(rolledBack.stdout).toBe('Successfully rollback workflow: example-app runs example-app-v1 again\n');
    const status = await finished(namespace, 'example-app-v1');
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v1');
    expect(status.revisions).toEqual({ running: 'example-app-v1', newest: 'example-app-v2' });
    expect(await currentOf(namespace)).toEqual(['example-app-v1']);
    const listed = await flotilla(namespace, 'ls', '-n', namespace, '-o', 'json');
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'example-app', revision: 'example-app-v1', newestRevision: 'example-app-v2' }]);
    const text = await flotilla(namespace, 'status', 'example-app');
    expect(text.stdout).toContain('\nRevision:\n\n  Running:\texample-app-v1\n  Newest: \texample-app-v2\n');

    // Back means older: v1 has no earlier succeeded revision, so a second rollback is refused (not a roll forward to v2).
    const twice = await flotilla(namespace, 'workflow', 'rollback', 'example-app');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('has no earlier succeeded revision to roll back to');
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v1');

    // v1's file is what runs: unchanged, nothing started, and the cluster keeps v1.
    expect(await submit(v1)).toMatchObject({ outcome: 'unchanged', unchangedBecause: 'same-spec', revision: 'example-app-v1' });
    expect((await revisions(namespace)).map((revision) => revision.name)).toEqual(['example-app-v2', 'example-app-v1']);
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v1');

    // v2's file differs from what runs: a new revision (numbered after the newest) runs it, as in KubeVela, where the
    // rollback put v1's spec back into the Application and applying v2's file again is a change.
    expect(await submit(v2)).toMatchObject({ outcome: 'created', revision: 'example-app-v3' });
    const rerun = await finished(namespace, 'example-app-v3');
    expect(rerun.about.status).toBe('running');
    expect(rerun.revisions).toEqual({ running: 'example-app-v3', newest: 'example-app-v3' });
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v2');
    expect(await currentOf(namespace)).toEqual(['example-app-v3']);

    // Restart runs what is current: v3, not the revision rolled back to.
    const restarted = await flotilla(namespace, 'workflow', 'restart', 'example-app');
    expect(restarted.stdout).toBe('Successfully restart workflow: example-app runs example-app-v3 from the first step\n');
  });

  it('publishVersion pins the workflow: edits under the same value do not run, a new value runs, a trigger gets a value of its own', async () => {
    const namespace = `publish-${suffix}`;
    namespaces.push(namespace);
    const p1 = await flotilla(namespace, 'up', '-f', await writeApp(namespace, 'publish-p1.yaml', 'crccheck/hello-world:v1', 'p1'));
    expect(p1.code, p1.stderr).toBe(0);
    await finished(namespace, 'example-app-v1');
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v1');

    // A spec edit under p1: no revision, no run, the cluster keeps v1, and up says why.
    const edited = await call(plane, 'POST', '/applications', await readFile(join(work, await writeApp(namespace, 'publish-p1-edit.yaml', 'crccheck/hello-world:v2', 'p1')), 'utf8'));
    expect(edited.body).toMatchObject({ outcome: 'unchanged', unchangedBecause: 'same-publish-version', revision: 'example-app-v1', publishVersion: 'p1' });
    const printed = await flotilla(namespace, 'up', '-f', 'publish-p1-edit.yaml');
    expect(printed.stdout.split('\n')[0]).toMatch(/^➖ Unchanged: example-app-v1 already has publishVersion p1; spec edits under it do not run/);
    await sleep(2000);
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v1');
    expect((await revisions(namespace)).map((revision) => revision.name)).toEqual(['example-app-v1']);
    const runs = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/status`);
    expect(runs.body.workflow.revision).toBe('example-app-v1');

    // A new value runs the edit.
    await flotilla(namespace, 'up', '-f', await writeApp(namespace, 'publish-p2.yaml', 'crccheck/hello-world:v2', 'p2'));
    await finished(namespace, 'example-app-v2');
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:v2');

    // A trigger's revision gets `<value>+<component>=<image>`, so it runs rather than being pinned to p2.
    const secret = randomBytes(32).toString('hex');
    const trigger = await call(plane, 'POST', `/namespaces/${namespace}/applications/example-app/triggers`, {
      source: 'github',
      component,
      image: 'crccheck/hello-world:${shortSha}',
      events: [{ on: 'push', branches: ['main'] }],
      secret,
    });
    expect(trigger.status, trigger.text).toBe(201);
    const sha = 'c0ffee1234567890c0ffee1234567890c0ffee12';
    const delivered = await deliverPush(trigger.body.id, secret, sha);
    expect(delivered.status, await delivered.text()).toBe(202);
    const derived = await finished(namespace, 'example-app-v3');
    expect(derived.about.status).toBe('running');
    expect(await imageIn(namespace)).toBe('crccheck/hello-world:c0ffee1');
    expect((await revisions(namespace))[0]).toMatchObject({ name: 'example-app-v3', current: true, publishVersion: `p2+${component}=crccheck/hello-world:c0ffee1` });
  });
});

const githubExamples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];

/** GitHub's push example for commit `sha` on main, signed as GitHub signs it. */
function deliverPush(triggerId: string, secret: string, sha: string) {
  const example = githubExamples.find((entry) => entry.name === 'push')!.examples.find((payload) => payload.ref === 'refs/heads/master' && !payload.deleted)!;
  const body = JSON.stringify({ ...structuredClone(example), ref: 'refs/heads/main', after: sha, head_commit: { ...example.head_commit, id: sha } });
  return fetch(`${plane.url}/hooks/github/${triggerId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/e2e',
      'x-github-event': 'push',
      'x-github-delivery': randomBytes(8).toString('hex'),
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
}
