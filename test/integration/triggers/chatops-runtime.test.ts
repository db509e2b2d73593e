// Chatops against an application really deployed (the local runtime on moto, the planner and appliers running, the
// seed's basic.yaml on beijing-1 and beijing-2): a slash command whose reply misses its budget is acknowledged at
// once and its Block Kit reply (health per cluster, workflow steps) is posted to the response_url by the API process,
// as `npm start` does; other bots read the same summary as JSON or text with a viewer token.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { BotStatus, SlackMessageBody } from '../../../contract/chatops-schemas.ts';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { slackSignature } from '../../../integrations/chatops/slack-signature.ts';
import { ApplicationStatus } from '../../../lib/core/status/application-status.ts';
import { signTimestamped } from '../../../integrations/webhooks/signature.ts';
import { call } from '../api/api-server.ts';
import { eventually, startRuntimeApi, type RuntimeApi } from '../api/runtime-api.ts';
import { seedDocument } from '../engine/engine-harness.ts';
import { newSecret, startResponseUrlServer, type ResponseUrlServer } from './trigger-harness.ts';

const kubeconfigPaths = inject('clusterKubeconfigs');
const namespace = `chatops-${Date.now().toString(36)}`;
const signingSecret = newSecret().slice(0, 32);
let api: RuntimeApi;
let responseUrl: ResponseUrlServer;
const tokens = { viewer: '', deployer: '' };

function slashCommand(text: string) {
  const body = new URLSearchParams({
    token: 'unused-verification-token',
    team_id: 'T1DC2JH3J',
    team_domain: 'testteamnow',
    channel_id: 'G8PSS9T3V',
    channel_name: 'deploys',
    user_id: 'U2CERLKJA',
    user_name: 'roadrunner',
    command: '/flotilla',
    text,
    response_url: responseUrl.url,
    trigger_id: `${Date.now()}.47445629121.${newSecret().slice(0, 32)}`,
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers = { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signTimestamped(slackSignature, Buffer.from(signingSecret), timestamp, body) };
  return call(api, 'POST', '/chatops/slack', { body, contentType: 'application/x-www-form-urlencoded', headers });
}

beforeAll(async () => {
  responseUrl = await startResponseUrlServer();
  delete process.env.CI_EVENTS_QUEUE_URL;
  // No reply is ever ready in time: every command takes the acknowledgement-and-follow-up path.
  process.env.SLACK_INLINE_BUDGET_MS = '0';
  process.env.SLACK_RESPONSE_URL_ORIGINS = responseUrl.origin;
  api = await startRuntimeApi();
  const admin = { token: api.adminToken };
  for (const name of ['beijing-1', 'beijing-2']) {
    const joined = await call(api, 'POST', '/clusters', { ...admin, body: { name, kubeconfig: await readFile(kubeconfigPaths[name]!, 'utf8') } });
    expect(joined.status, joined.text).toBe(201);
  }
  const submitted = await call(api, 'POST', '/applications', { ...admin, body: stringify(await seedDocument('basic', namespace)), contentType: 'application/yaml' });
  expect(submitted.status, submitted.text).toBe(202);
  await eventually('example-app to run', async () => {
    const answer = await call(api, 'GET', `/namespaces/${namespace}/applications/example-app/status`, admin);
    const status = ApplicationStatus.parse(answer.json);
    return status.workflow?.finished && status.about.status === 'running' ? status : undefined;
  });
  const mint = async (role: string) => CreatedToken.parse((await call(api, 'POST', '/tokens', { ...admin, body: { name: `bot ${role}`, role } })).json).token;
  tokens.viewer = await mint('viewer');
  tokens.deployer = await mint('deployer');
  expect((await call(api, 'POST', '/chatops/slack/settings', { ...admin, body: { signingSecret } })).status).toBe(200);
});
afterAll(async () => {
  await api?.stop();
  await responseUrl?.close();
  for (const name of ['beijing-1', 'beijing-2']) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPaths[name]!);
    await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace }).catch(() => undefined);
  }
});

describe('a slash command whose reply is late', () => {
  it('is acknowledged at once; the reply follows on the response_url with health per cluster and the workflow steps', async () => {
    const started = Date.now();
    const ack = await slashCommand(`status example-app -n ${namespace}`);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ack.status, ack.text).toBe(200);
    expect(SlackMessageBody.parse(ack.json).text).toBe(`Working on /flotilla status example-app -n ${namespace}; the answer follows in a moment.`);

    const post = await responseUrl.nextPost();
    expect(post.headers['content-type']).toBe('application/json');
    const reply = SlackMessageBody.parse(post.body);
    expect(post.body.replace_original).toBe(false);
    expect(reply.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'example-app: running' } });
    const shown = reply.blocks.flatMap((block: any) => [block.text?.text, ...(block.fields ?? []).map((field: any) => field.text)].filter(Boolean));
    expect(shown).toEqual(
      expect.arrayContaining([
        '*Running revision*\nexample-app-v1',
        '*Clusters* (2 of 2 healthy)',
        expect.stringMatching(/^:white_check_mark: \*beijing-1\* · \$0\.0+\d+\n:white_check_mark: hello-world-server Ready:3\/3$/),
        expect.stringMatching(/^:white_check_mark: \*beijing-2\* · \$0\.0+\d+\n:white_check_mark: hello-world-server Ready:3\/3$/),
        '*Workflow* (DAG): finished',
        ':white_check_mark: *deploy-beijing-clusters* (deploy) succeeded',
      ]),
    );
    // What the run cost, from the figures the planner and appliers recorded during the real deploy.
    const context = reply.blocks.flatMap((block: any) => (block.type === 'context' ? block.elements.map((element: any) => element.text) : []));
    expect(context).toContainEqual(expect.stringMatching(/^Cost of this run: \$0\.0+\d+ estimated \(\d+ DynamoDB and \d+ SQS requests, [\d.]+ Lambda GB-s; us-east-1 prices of 2024-11-01\)$/));
  });

  it('ls is answered the same way', async () => {
    expect((await slashCommand('ls')).status).toBe(200);
    const reply = SlackMessageBody.parse((await responseUrl.nextPost()).body);
    expect(reply.text).toContain(`${namespace}/example-app example-app-v1`);
  });
});

describe('the status for other bots', () => {
  const path = `/chatops/namespaces/${namespace}/applications/example-app/status`;

  it('answers a viewer token with health per cluster and the steps, as JSON or one line each as text', async () => {
    const json = await call(api, 'GET', path, { token: tokens.viewer });
    expect(json.status, json.text).toBe(200);
    expect(BotStatus.parse(json.json)).toMatchObject({
      application: 'example-app',
      namespace,
      phase: 'running',
      revision: 'example-app-v1',
      clusters: [
        { cluster: 'beijing-1', healthy: true, components: [{ name: 'hello-world-server', healthy: true, message: 'Ready:3/3' }] },
        { cluster: 'beijing-2', healthy: true, components: [{ name: 'hello-world-server', healthy: true, message: 'Ready:3/3' }] },
      ],
      workflow: { finished: true, steps: [{ name: 'deploy-beijing-clusters', phase: 'succeeded' }] },
    });
    const text = await call(api, 'GET', path, { token: tokens.viewer, headers: { accept: 'text/plain' } });
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const usd = '\\$0\\.0+\\d+';
    expect(text.text).toMatch(
      new RegExp(
        [
          `^example-app \\(${namespace}\\): running, running revision example-app-v1`,
          `beijing-1: healthy; hello-world-server healthy \\(Ready:3/3\\); ${usd}`,
          `beijing-2: healthy; hello-world-server healthy \\(Ready:3/3\\); ${usd}`,
          'workflow \\(DAG\\): finished',
          '  ✓ deploy-beijing-clusters succeeded',
          `cost: ${usd} estimated \\(\\d+ DynamoDB and \\d+ SQS requests, [\\d.]+ Lambda GB-s; us-east-1 prices of 2024-11-01\\)`,
          '$',
        ].join('\n'),
      ),
    );
    expect(BotStatus.parse(json.json).cost).toMatchObject({ prices: 'us-east-1 prices of 2024-11-01' });
  });

  it('refuses tokens that could do more than read, and requests without a token', async () => {
    const deployer = await call(api, 'GET', path, { token: tokens.deployer });
    expect(deployer.status).toBe(403);
    expect((deployer.json as any).error.message).toMatch(/^chatops endpoints take viewer tokens only, not deployer/);
    expect((await call(api, 'GET', path, { token: api.adminToken })).status).toBe(403);
    expect((await call(api, 'GET', path)).status).toBe(401);
    expect((await call(api, 'GET', `/chatops/namespaces/${namespace}/applications/nothing/status`, { token: tokens.viewer })).status).toBe(404);
  });
});
