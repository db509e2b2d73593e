// What the trigger suites share: an application to trigger, signed deliveries in the providers' real shapes (GitHub's
// from @octokit/webhooks-examples, GitLab's and EventBridge's from events/), and requests to the hooks.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { genericSignature } from '../../../integrations/webhooks/generic.ts';
import { signTimestamped } from '../../../integrations/webhooks/signature.ts';
import { githubExample, sample } from '../../unit/integrations/webhooks/webhook-fixtures.ts';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { call, type ApiAnswer, type ApiServer } from '../api/api-server.ts';

export { githubExample, sample };

/** Joins the member cluster twoComponentApp places on: a topology may name registered clusters only. */
export async function joinAppCluster(server: ApiServer, cluster = 'beijing-1'): Promise<void> {
  const kubeconfig = await readFile(inject('clusterKubeconfigs')[cluster]!, 'utf8');
  const joined = await call(server, 'POST', '/clusters', { token: server.adminToken, body: { kubeconfig } });
  if (joined.status !== 201) throw new Error(`joining ${cluster} answered ${joined.status}: ${joined.text}`);
}

/** A two-component application in its own namespace; the topology names a cluster but nothing here runs the planner. */
export function twoComponentApp(namespace: string, name = 'shop') {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {
      components: [
        { name: 'api', type: 'webservice', properties: { image: 'ghcr.io/codertocat/hello-world:base', port: 8000 } },
        { name: 'web', type: 'webservice', properties: { image: 'ghcr.io/codertocat/web:base', port: 8080 } },
      ],
      policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], createNamespace: true } }],
    },
  };
}

export const newSha = () => randomBytes(20).toString('hex');
export const newSecret = () => randomBytes(24).toString('hex');

/** GitHub's push example, moved to `branch` and commit `sha`. */
export function githubPush(branch: string, sha: string): Record<string, any> {
  const push = githubExample('push', (payload) => payload.ref === 'refs/heads/master' && payload.deleted === false);
  push.ref = `refs/heads/${branch}`;
  push.after = sha;
  push.head_commit = { ...push.head_commit, id: sha };
  return push;
}

export function githubHeaders(secret: string, body: string, event: string, delivery: string): Record<string, string> {
  return {
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

export function genericHeaders(secret: string, body: string, at = new Date(), delivery?: string): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'x-flotilla-timestamp': timestamp,
    'x-flotilla-signature': signTimestamped(genericSignature, Buffer.from(secret), timestamp, body),
    ...(delivery === undefined ? {} : { 'x-flotilla-delivery': delivery }),
  };
}

/** A POST to a webhook: no bearer token, the body as the provider sends it. */
export function postHook(server: { url: string }, path: string, body: string, headers: Record<string, string>): Promise<ApiAnswer> {
  return call(server, 'POST', path, { body, contentType: 'application/json', headers });
}

/** The current revision's document, read through the API. */
export async function currentDocument(server: { url: string }, token: string, namespace: string, name: string): Promise<any> {
  const answer = await call(server, 'GET', `/namespaces/${namespace}/applications/${name}`, { token });
  if (answer.status !== 200) throw new Error(`GET application: ${answer.text}`);
  return answer.json;
}

export function imageOf(detail: any, component: string): string | undefined {
  return detail.document.spec.components.find((entry: any) => entry.name === component)?.properties.image;
}

export interface ResponseUrlServer {
  /** Where Slack's response_url points in the tests. */
  url: string;
  origin: string;
  posts: { headers: IncomingMessage['headers']; body: any }[];
  /** Resolves with the next post (or one already received and not yet taken). */
  nextPost(timeoutMs?: number): Promise<{ headers: IncomingMessage['headers']; body: any }>;
  close(): Promise<void>;
}

/** Stands in for Slack's response_url endpoint: records what is posted to it. */
export async function startResponseUrlServer(): Promise<ResponseUrlServer> {
  const posts: ResponseUrlServer['posts'] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN`,
    origin,
    posts,
    nextPost: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (posts.length <= taken) {
        if (Date.now() > deadline) throw new Error('nothing was posted to the response_url');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return posts[taken++]!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
