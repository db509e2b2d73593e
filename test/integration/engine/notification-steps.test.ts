// Notification and webhook steps on moto and a real member cluster: the applier posts to a receiver this test starts on
// loopback (the local runtime allows loopback, as CLUSTER_ENDPOINT_ALLOW_LOOPBACK does), signed, retried, and never
// failing the run; the URLs and keys are stored sealed.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signatureHeader, timestampHeader, verifyBody } from '../../../lib/core/workflow/webhook-signature.ts';
import { startEngineHarness, type EngineHarness } from './engine-harness.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

let harness: EngineHarness;
let receiver: Server;
let base: string;
const received: Received[] = [];
const suffix = Date.now().toString(36);
const hmacKey = `hmac-key-${suffix}-0123456789`;
const slackToken = `T000/B000/slack-token-${suffix}`;
let flakyCalls = 0;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      if (path.startsWith('/down')) return response.writeHead(500).end('down');
      if (path.startsWith('/redirect')) return response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      // Fails the first try, so the post is retried with backoff.
      if (path.startsWith('/flaky') && flakyCalls++ === 0) return response.writeHead(503).end('busy');
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '60' });
  await harness.registry.join({ name: 'beijing-1', kubeconfig: await readFile(inject('clusterKubeconfigs')['beijing-1']!, 'utf8') });
});
afterAll(async () => {
  await harness?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

function app(name: string, namespace: string, steps: unknown[], createNamespace: boolean) {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {
      components: [{ name: `${name}-config`, type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-config` }, data: { a: 'b' } }] } }],
      policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], createNamespace } }],
      workflow: { steps: [{ name: 'ship', type: 'deploy', properties: { policies: ['here'] } }, ...steps] },
    },
  };
}

const waitForRun = (namespace: string, name: string, revisionName: string) =>
  harness.waitFor(namespace, name, (s) => s.workflow?.revision === revisionName && s.workflow.finished, 60_000);

async function runOf(namespace: string, name: string) {
  const { store } = await import('../../../functions/runtime.ts');
  const runs = await store.runs.listForApplication(namespace, name);
  return runs.at(-1)!;
}

describe('notification and webhook steps', () => {
  it('a notification on failure posts a signed message to the receiver and a Slack message; the run still fails for the deploy; the URLs and key are stored sealed', async () => {
    const namespace = `notify-fail-${suffix}`;
    const steps = [
      {
        name: 'tell-failure',
        type: 'notification',
        if: 'status.ship.failed',
        properties: {
          slack: { url: { value: `${base}/slack/${slackToken}` }, message: { text: '{{application}} {{revision}}: {{step}} says {{outcome}}' } },
          webhook: { url: `${base}/signed/${suffix}`, secret: { value: hmacKey } },
        },
      },
      { name: 'tell-success', type: 'webhook', if: 'status.ship.succeeded', properties: { url: `${base}/never/${suffix}` } },
    ];
    // No createNamespace: the namespace is missing, so the deploy step fails.
    const { name, revisionName } = await harness.submit(app('told', namespace, steps, false));
    const status = await waitForRun(namespace, name, revisionName);
    expect(status.about.status).toBe('workflowFailed');
    const run = await runOf(namespace, name);
    expect(run.steps.map((s) => `${s.name}:${s.phase}`)).toEqual(['ship:failed', 'tell-failure:succeeded', 'tell-success:skipped']);
    expect(run.steps[1]?.message).toBe('delivered to slack and webhook');
    expect(run.message).toBe('step ship failed');

    const signed = received.find((r) => r.path === `/signed/${suffix}`)!;
    expect(signed).toBeDefined();
    expect(verifyBody(hmacKey, { timestamp: signed.headers[timestampHeader] as string, signature: signed.headers[signatureHeader] as string }, signed.body, new Date())).toBe(true);
    expect(verifyBody('a-different-key-0123', { timestamp: signed.headers[timestampHeader] as string, signature: signed.headers[signatureHeader] as string }, signed.body, new Date())).toBe(false);
    const payload = JSON.parse(signed.body);
    expect(payload.text).toBe(`Flotilla: ${namespace}/told revision ${revisionName} failed (step tell-failure)`);
    expect(payload.context).toMatchObject({ application: 'told', namespace, revision: revisionName, step: 'tell-failure', outcome: 'failed', steps: [{ name: 'ship', phase: 'failed' }] });

    const slack = received.find((r) => r.path === `/slack/${slackToken}`)!;
    expect(JSON.parse(slack.body)).toEqual({ text: `told ${revisionName}: tell-failure says failed` });
    expect(slack.headers[signatureHeader]).toBeUndefined();
    expect(received.some((r) => r.path === `/never/${suffix}`)).toBe(false);

    const { store } = await import('../../../functions/runtime.ts');
    const revision = await store.applications.getRevision(namespace, name, 1);
    const stored = JSON.stringify(revision);
    expect(stored).not.toContain(slackToken);
    expect(stored).not.toContain(hmacKey);
    expect(stored).not.toContain(`/signed/${suffix}`);
    expect(revision?.secrets).toBeDefined();
  });

  it('a webhook step posts the application context after a successful deploy, retried with backoff past a 503', async () => {
    const namespace = `notify-ok-${suffix}`;
    const steps = [{ name: 'tell', type: 'webhook', properties: { url: `${base}/flaky/${suffix}` } }];
    const { name, revisionName } = await harness.submit(app('hooked', namespace, steps, true));
    const status = await waitForRun(namespace, name, revisionName);
    expect(status.about.status).toBe('running');
    const run = await runOf(namespace, name);
    expect(run.phase).toBe('succeeded');
    expect(run.steps[1]).toMatchObject({ name: 'tell', phase: 'succeeded', message: 'delivered to webhook' });
    const posts = received.filter((r) => r.path === `/flaky/${suffix}`);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(JSON.parse(posts[1]!.body)).toEqual({
      context: { application: 'hooked', namespace, revision: revisionName, runId: run.runId, step: 'tell', outcome: 'succeeded', steps: [{ name: 'ship', phase: 'succeeded' }] },
    });
  });

  it('a post that cannot be delivered (a receiver that keeps failing, a redirect, a metadata address) never fails the run; the step says why', async () => {
    const namespace = `notify-down-${suffix}`;
    const steps = [
      { name: 'down', type: 'webhook', properties: { url: `${base}/down/${suffix}` } },
      { name: 'redirected', type: 'webhook', properties: { url: `${base}/redirect/${suffix}` } },
      { name: 'metadata', type: 'notification', properties: { webhook: { url: 'http://169.254.169.254/latest/meta-data/' } } },
    ];
    const { name, revisionName } = await harness.submit(app('unheard', namespace, steps, true));
    const status = await waitForRun(namespace, name, revisionName);
    expect(status.about.status).toBe('running');
    const run = await runOf(namespace, name);
    expect(run.phase).toBe('succeeded');
    const host = new URL(base).host;
    expect(run.steps.map((s) => [s.name, s.phase, s.message])).toEqual([
      ['ship', 'succeeded', ''],
      ['down', 'succeeded', `not delivered to webhook after 4 attempts: ${host} answered HTTP 500`],
      ['redirected', 'succeeded', `not delivered to webhook after 1 attempt: ${host} answered a redirect (HTTP 302), which Flotilla does not follow`],
      ['metadata', 'succeeded', 'not delivered to webhook after 1 attempt: refused by the cluster endpoint policy: 169.254.169.254 is a cloud metadata address; Flotilla never connects there'],
    ]);
    expect(received.filter((r) => r.path === `/down/${suffix}`)).toHaveLength(4);
    expect(received.filter((r) => r.path === `/redirect/${suffix}`)).toHaveLength(1);
  }, 90_000);
});
