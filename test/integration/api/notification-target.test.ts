// An application's notification target, set through the API as `flotilla notify set` does, on the local runtime over
// moto and a real member cluster: its run events reach a receiver this test starts on loopback, signed; the URL and
// key are stored sealed and never answered.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { notificationTargetKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { signatureHeader, timestampHeader, verifyBody } from '../../../lib/core/workflow/webhook-signature.ts';
import { eventually, startRuntimeApi, type RuntimeApi } from './runtime-api.ts';

const suffix = Date.now().toString(36);
const namespace = `notify-target-${suffix}`;
const key = `target-key-${suffix}-0123456789`;
let api: RuntimeApi;
let receiver: Server;
let base: string;
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  api = await startRuntimeApi();
  const joined = await call('POST', '/clusters', { kubeconfig: await readFile(inject('clusterKubeconfigs')['beijing-1']!, 'utf8') });
  expect([201, 409]).toContain(joined.status);
});
afterAll(async () => {
  await api?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('notification target', () => {
  it('posts every transition of a run to a signed webhook; answers show the host only; rm stops it', async () => {
    const document = {
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: 'watched', namespace },
      spec: {
        components: [{ name: 'watched', type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' }, data: { a: 'b' } }] } }],
        policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], createNamespace: true } }],
        workflow: { steps: [{ name: 'approve', type: 'suspend', properties: { duration: '1s' } }, { name: 'ship', type: 'deploy', properties: { policies: ['here'] } }] },
      },
    };
    const app = `/namespaces/${namespace}/applications/watched`;
    // The application must exist first: submit one step that waits, then point its events at the receiver.
    expect((await call('POST', '/applications', document)).status).toBe(202);
    expect((await call('POST', `${app}/notification`, { webhook: `${base}/events/${suffix}` })).status).toBe(200);
    const set = await call('POST', `${app}/notification`, { webhook: `${base}/signed/${suffix}`, secret: key });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ namespace, application: 'watched', channel: 'webhook', host: new URL(base).host, signed: true });
    expect(JSON.stringify(set.body)).not.toContain('/signed/');
    expect(JSON.stringify(set.body)).not.toContain(key);

    const posts = await eventually('the run.succeeded post', async () => {
      const signed = received.filter((r) => r.path === `/signed/${suffix}`);
      return signed.some((r) => r.body.includes('"run.succeeded"')) ? signed : undefined;
    }, 60_000);
    for (const post of posts) {
      expect(verifyBody(key, { timestamp: post.headers[timestampHeader] as string, signature: post.headers[signatureHeader] as string }, post.body, new Date())).toBe(true);
    }
    const events = posts.flatMap((post) => JSON.parse(post.body).events as { event: string; namespace: string }[]);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['step.succeeded', 'step.started', 'run.succeeded']));
    expect(JSON.parse(posts.at(-1)!.body).text).toMatch(new RegExp(`^${namespace}/watched watched-v1: `));

    const got = await eventually('the last delivery', async () => {
      const answer = await call('GET', `${app}/notification`);
      return answer.body.lastDelivery?.delivered ? answer : undefined;
    });
    expect(got.body.lastDelivery.message).toBe('delivered to webhook');
    const raw = JSON.stringify(await api.rawItem(notificationTargetKey(namespace, 'watched')));
    expect(raw).not.toContain(`/signed/${suffix}`);
    expect(raw).not.toContain(key);

    expect((await call('DELETE', `${app}/notification`)).status).toBe(200);
    expect((await call('GET', `${app}/notification`)).status).toBe(404);
  });

  it('refuses a target that is not one URL of one kind, naming the field', async () => {
    const app = `/namespaces/${namespace}/applications/watched`;
    const wrong = await call('POST', `${app}/notification`, { webhook: 'ftp://example.com', secret: 'short' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('validation_failed');
    const missing = await call('POST', `/namespaces/${namespace}/applications/nope/notification`, { slack: 'https://hooks.slack.com/services/T/B/x' });
    expect(missing.status).toBe(404);
  });
});
