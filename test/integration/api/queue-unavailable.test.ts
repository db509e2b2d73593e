// When the planner queue refuses the run of a new revision, the API says what was stored and how to start it, instead
// of a bare 500 after which an unchanged resubmit would queue nothing.
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { stringify } from 'yaml';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, startApiServer, type ApiServer } from './api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ credentials: 'key-file' });
  // A topology may only name registered clusters.
  const kubeconfig = await readFile(inject('clusterKubeconfigs')['beijing-1']!, 'utf8');
  expect((await call(server, 'POST', '/clusters', { token: server.adminToken, body: { kubeconfig } })).status).toBe(201);
});
afterAll(() => server?.close());

describe('submitting while the planner queue is unavailable', () => {
  it('answers 503 queue_unavailable naming the stored revision and the command that starts it', async () => {
    await server.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: server.plannerQueueUrl }));
    const document = {
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: 'stranded', namespace: 'default' },
      spec: {
        components: [{ name: 'web', type: 'webservice', properties: { image: 'crccheck/hello-world' } }],
        policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'] } }],
      },
    };
    const answer = await call(server, 'POST', '/applications', {
      token: server.adminToken,
      contentType: 'application/yaml',
      body: stringify(document),
    });
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      error: {
        code: 'queue_unavailable',
        message: 'revision stranded-v1 is stored but its workflow could not be queued; start it with `flotilla workflow restart stranded -n default`',
        details: [],
      },
    });
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.headers.get('x-request-id')).toBeTruthy();
    expect((await server.store.applications.get('default', 'stranded'))?.currentRevision).toBe(1);
  });

  it('/healthz answers 503 queue_unavailable naming the missing queue, and the store as fine', async () => {
    const answer = await call(server, 'GET', '/healthz');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('10');
    expect(answer.json).toEqual({
      error: {
        code: 'queue_unavailable',
        message: 'unavailable: queues.planner has no such queue (was it re-created empty?)',
        details: [{ path: 'queues.planner', message: 'has no such queue (was it re-created empty?)' }],
      },
    });
  });

  it('a read that needs no queue still answers', async () => {
    expect((await call(server, 'GET', '/clusters', { token: server.adminToken })).status).toBe(200);
  });
});
