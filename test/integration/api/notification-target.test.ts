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
import { slackSignature } from '../../../integrations/chatops/slack-signature.ts';
import { signTimestamped } from '../../../integrations/webhooks/signature.ts';

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

const signingSecret = `slacksecret${suffix}0123456789`.replace(/[^A-Za-z0-9]/g, '');

/** A Slack button press as Slack posts it: `payload=<block_actions JSON>`, signed v0 under `secret`. */
async function press(actionId: string, value: string, user: string, secret = signingSecret) {
  const payload = { type: 'block_actions', user: { id: user }, actions: [{ action_id: actionId, value, action_ts: `${Date.now()}.${Math.random()}` }] };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${api.url}/chatops/slack/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signTimestamped(slackSignature, Buffer.from(secret), timestamp, body) },
    body,
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

  it('a suspended run\'s Slack message carries Approve / Stop; a press resumes it only with a good signature and an approver\'s rights', async () => {
    expect((await call('POST', '/chatops/slack/settings', { signingSecret, approvers: [{ user: 'UAPPROVER1', namespaces: [namespace] }, { user: 'UOTHERNS1', namespaces: ['elsewhere'] }] })).status).toBe(200);
    const document = {
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: 'gated', namespace },
      spec: {
        components: [{ name: 'gated', type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gated' }, data: { a: 'b' } }] } }],
        policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], createNamespace: true } }],
        workflow: { steps: [{ name: 'ship', type: 'deploy', properties: { policies: ['here'] } }, { name: 'approve', type: 'suspend' }, { name: 'after', type: 'webhook', properties: { url: `${base}/after/${suffix}` } }] },
      },
    };
    const app = `/namespaces/${namespace}/applications/gated`;
    expect((await call('POST', '/applications', document)).status).toBe(202);
    expect((await call('POST', `${app}/notification`, { slack: `${base}/slack/${suffix}/T/B/token` })).status).toBe(200);
    const message = await eventually('the suspended message', async () => {
      const post = received.find((r) => r.path === `/slack/${suffix}/T/B/token` && r.body.includes('"actions"'));
      return post === undefined ? undefined : JSON.parse(post.body);
    }, 60_000);
    expect(message.text).toContain(`${namespace}/gated gated-v1: run suspended`);
    const [approve, stop] = message.blocks[1].elements;
    expect([approve.text.text, approve.action_id, stop.text.text, stop.action_id]).toEqual(['Approve', 'flotilla_resume', 'Stop', 'flotilla_terminate']);
    const runId = JSON.parse(approve.value).runId;

    const statusOf = async () => (await call('GET', `${app}/status`)).body.about.status;
    const forged = await press(approve.action_id, approve.value, 'UAPPROVER1', 'not-the-signing-secret-000000');
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('unauthenticated');
    const outsider = await press(approve.action_id, approve.value, 'UOTHERNS1');
    expect(outsider.status).toBe(200);
    expect(outsider.body.text).toBe(`<@UOTHERNS1> may not approve or stop runs in namespace ${namespace}.`);
    const stranger = await press(stop.action_id, stop.value, 'UNOBODY01');
    expect(stranger.body.text).toMatch(/may not approve or stop/);
    expect(await statusOf()).toBe('workflowSuspending');

    const approved = await press(approve.action_id, approve.value, 'UAPPROVER1');
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ response_type: 'ephemeral', replace_original: false, text: `Approved by <@UAPPROVER1>: ${namespace}/gated resumes.` });
    await eventually('the resumed run to finish', async () => ((await statusOf()) === 'running' ? true : undefined), 60_000);
    const run = (await api.store.runs.listForApplication(namespace, 'gated'))[0]!;
    expect(run.runId).toBe(runId);
    expect(run.steps.map((s) => `${s.name}:${s.phase}`)).toEqual(['ship:succeeded', 'approve:succeeded', 'after:succeeded']);
    // The same button once the run finished changes nothing.
    const late = await press(stop.action_id, stop.value, 'UAPPROVER1');
    expect(late.body.text).toMatch(/is not running \(succeeded\)/);
  });
});
