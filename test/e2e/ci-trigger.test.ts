// A CI trigger end to end: `npm start` (embedded dynalite + fauxqs), the seed's basic.yaml deployed to beijing-1 and
// beijing-2 in a namespace of this test's own, a GitHub trigger on its component, and a GitHub push event (GitHub's own
// payload shape, from @octokit/webhooks-examples, signed as GitHub signs it) for a new commit: the clusters end up
// running the image of that commit, read back from the clusters themselves. A redelivery changes nothing.
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { connectCluster } from '../../lib/adapters/kubernetes/cluster-client.ts';
import { type ClusterClient } from '../../lib/engine/ports/cluster-client.ts';
import { readyReplicas, seedDocument } from '../integration/engine/engine-harness.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';

const namespace = `ci-trigger-${Date.now().toString(36)}`;
const status = `/namespaces/${namespace}/applications/example-app/status`;
const secret = randomBytes(32).toString('hex');
let plane: ControlPlane;

const githubExamples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];

/** GitHub's push example (a branch push), for commit `sha` on `main`. */
function pushOf(sha: string): string {
  const example = githubExamples.find((entry) => entry.name === 'push')!.examples.find((payload) => payload.ref === 'refs/heads/master' && !payload.deleted)!;
  return JSON.stringify({ ...structuredClone(example), ref: 'refs/heads/main', after: sha, head_commit: { ...example.head_commit, id: sha } });
}

function deliver(triggerId: string, body: string, delivery: string) {
  return fetch(`${plane.url}/hooks/github/${triggerId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/e2e',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
}

function cluster(name: string): ClusterClient {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')[name]!);
  return connectCluster(kc, { policy: localEndpointPolicy });
}

async function deployedImage(name: string): Promise<string | undefined> {
  const live = (await cluster(name).read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello-world-server', namespace } })) as
    | { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }
    | undefined;
  return live?.spec?.template?.spec?.containers?.[0]?.image;
}

async function finished(revision: string): Promise<any> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const answer = await call(plane, 'GET', status);
    if (answer.body?.workflow?.revision === revision && answer.body.workflow.finished) return answer.body;
    if (Date.now() > deadline) throw new Error(`${revision} did not finish: ${answer.text}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

beforeAll(async () => {
  plane = await startControlPlane({ env: { DEFAULT_STEP_TIMEOUT_SECONDS: '90' } });
  const kubeconfigs = inject('clusterKubeconfigs');
  for (const name of ['beijing-1', 'beijing-2']) {
    const joined = await call(plane, 'POST', '/clusters', { name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8') });
    expect(joined.status, joined.text).toBe(201);
  }
});
afterAll(async () => {
  await plane?.stop();
});

describe('a GitHub push for a new commit', () => {
  it('rolls the seed application to the commit\'s image on both clusters; the redelivery changes nothing', async () => {
    const submitted = await call(plane, 'POST', '/applications', stringify(await seedDocument('basic', namespace)));
    expect(submitted.status, submitted.text).toBe(202);
    expect((await finished('example-app-v1')).about.status).toBe('running');
    expect(await deployedImage('beijing-1')).toBe('crccheck/hello-world');

    const created = await call(plane, 'POST', `/namespaces/${namespace}/applications/example-app/triggers`, {
      source: 'github',
      component: 'hello-world-server',
      image: 'crccheck/hello-world:${shortSha}',
      events: [{ on: 'push', branches: ['main'] }],
      secret,
    });
    expect(created.status, created.text).toBe(201);
    const trigger = created.body as { id: string; webhookUrl: string };
    expect(trigger.webhookUrl).toBe(`${plane.url}/hooks/github/${trigger.id}`);

    const sha = randomBytes(20).toString('hex');
    const body = pushOf(sha);
    const delivery = `e2e-${sha.slice(0, 12)}`;
    const answer = await deliver(trigger.id, body, delivery);
    const result = (await answer.json()) as Record<string, unknown>;
    expect(answer.status, JSON.stringify(result)).toBe(202);
    expect(result).toMatchObject({ outcome: 'deployed', revision: 'example-app-v2', image: `crccheck/hello-world:${sha.slice(0, 7)}` });

    const rolled = await finished('example-app-v2');
    expect(rolled.about.status).toBe('running');
    for (const name of ['beijing-1', 'beijing-2']) {
      expect(await deployedImage(name), name).toBe(`crccheck/hello-world:${sha.slice(0, 7)}`);
      expect(await readyReplicas(cluster(name), namespace, 'hello-world-server'), name).toBe(3);
    }

    const again = await deliver(trigger.id, body, delivery);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: 'duplicate', revision: 'example-app-v2' });
    const revisions = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/revisions`);
    expect(revisions.body.revisions.map((revision: { name: string }) => revision.name)).toEqual(['example-app-v2', 'example-app-v1']);
  });
});
