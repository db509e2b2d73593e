// The Slack slash command through real HTTP on the API function (moto, KMS-sealed signing secret, nothing consuming
// the queues): setting Slack up, v0 signatures with the five-minute window, replays, and the replies Slack shows.
// Every refusal is 401 and leaves the whole table as it was.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackMessageBody, SlackSettingsView } from '../../../contract/chatops-schemas.ts';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { slackSignature } from '../../../integrations/chatops/slack-signature.ts';
import { signTimestamped } from '../../../integrations/webhooks/signature.ts';
import { call, startApiServer, tableSnapshot, type ApiServer } from '../api/api-server.ts';
import { newSecret, startResponseUrlServer, twoComponentApp, type ResponseUrlServer, joinAppCluster } from './trigger-harness.ts';

const example = JSON.parse(readFileSync(new URL('../../../events/slack/verifying-requests-example.json', import.meta.url), 'utf8')) as {
  headers: Record<string, string>;
  body: string;
};
const namespace = `slack-${Date.now().toString(36)}`;
const signingSecret = newSecret().slice(0, 32);
let server: ApiServer;
let responseUrl: ResponseUrlServer;
let deployer = '';

const snapshot = () => tableSnapshot(server.clients.dynamodb, server.tableName);

/** Slack's worked example with another command text, trigger id and response_url, signed now (or at `at`). */
function slashCommand(text: string, options: { at?: Date; secret?: string; responseUrl?: string } = {}) {
  const form = new URLSearchParams(example.body);
  form.set('command', '/flotilla');
  form.set('text', text);
  form.set('response_url', options.responseUrl ?? responseUrl.url);
  // Slack gives every command a trigger_id of its own, so two commands are never the same bytes.
  form.set('trigger_id', `${Date.now()}.47445629121.${newSecret().slice(0, 32)}`);
  const body = form.toString();
  const timestamp = String(Math.floor((options.at ?? new Date()).getTime() / 1000));
  const headers = {
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signTimestamped(slackSignature, Buffer.from(options.secret ?? signingSecret), timestamp, body),
  };
  return { body, headers };
}

function post(command: { body: string; headers: Record<string, string> }) {
  return call(server, 'POST', '/chatops/slack', { body: command.body, contentType: 'application/x-www-form-urlencoded', headers: command.headers });
}

const texts = (answer: { json: unknown }) =>
  SlackMessageBody.parse(answer.json).blocks.flatMap((block: any) => [block.text?.text, ...(block.fields ?? []).map((field: any) => field.text)].filter(Boolean));

beforeAll(async () => {
  responseUrl = await startResponseUrlServer();
  delete process.env.CI_EVENTS_QUEUE_URL;
  process.env.SLACK_INLINE_BUDGET_MS = '2000';
  process.env.SLACK_RESPONSE_URL_ORIGINS = `https://hooks.slack.com,${responseUrl.origin}`;
  server = await startApiServer({ credentials: 'kms' });
  await joinAppCluster(server);
  deployer = CreatedToken.parse((await call(server, 'POST', '/tokens', { token: server.adminToken, body: { name: 'ci', role: 'deployer' } })).json).token;
  expect((await call(server, 'POST', '/applications', { token: deployer, body: twoComponentApp(namespace) })).status).toBe(202);
});
afterAll(async () => {
  await server?.close();
  await responseUrl?.close();
});

describe('setting Slack up', () => {
  it('answers 401 to slash commands while Slack is not set up', async () => {
    const answer = await post(slashCommand('ls'));
    expect(answer.status).toBe(401);
    expect((answer.json as any).error.message).toMatch(/no Slack integration is configured/);
  });

  it('is for admins; the signing secret is sealed, never shown, and settings say what Slack may read', async () => {
    const body = { signingSecret, namespaces: [namespace] };
    expect((await call(server, 'POST', '/chatops/slack/settings', { token: deployer, body })).status).toBe(403);
    const set = await call(server, 'POST', '/chatops/slack/settings', { token: server.adminToken, body });
    expect(set.status, set.text).toBe(200);
    expect(SlackSettingsView.parse(set.json)).toMatchObject({ configured: true, namespaces: [namespace] });
    const read = await call(server, 'GET', '/chatops/slack/settings', { token: server.adminToken });
    expect(SlackSettingsView.parse(read.json)).toMatchObject({ configured: true, namespaces: [namespace] });
    for (const text of [set.text, read.text, await snapshot()]) expect(text).not.toContain(signingSecret);
    expect((await server.store.chatIntegrations.get('slack'))?.signingSecret.keyProvider).toBe('aws-kms');
  });
});

describe('slash commands', () => {
  it('answer status within the budget with Block Kit: phase, revision, clusters and workflow', async () => {
    const answer = await post(slashCommand(`status shop -n ${namespace}`));
    expect(answer.status, answer.text).toBe(200);
    const message = SlackMessageBody.parse(answer.json);
    expect(message.response_type).toBe('ephemeral');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'shop: rendering' } });
    expect(texts(answer)).toEqual(expect.arrayContaining(['*Running revision*\n–', '*Clusters*\nNo cluster reports shop yet.']));
  });

  it('answer ls with the applications Slack may read, and refuse other namespaces like a viewer token would', async () => {
    expect(texts(await post(slashCommand('ls')))).toEqual(['Applications', `• *shop* (${namespace}) shop-v1`]);
    const elsewhere = await post(slashCommand('status shop -n team-b'));
    expect(SlackMessageBody.parse(elsewhere.json).text).toBe(`Not allowed: this token is limited to namespaces ${namespace}, not team-b.`);
    const missing = await post(slashCommand(`status nothing -n ${namespace}`));
    expect(SlackMessageBody.parse(missing.json).text).toBe(`No application nothing in namespace ${namespace}.`);
    const help = await post(slashCommand('deploy shop'));
    expect(SlackMessageBody.parse(help.json).text).toMatch(/^unknown command deploy\n/);
    expect(responseUrl.posts).toEqual([]);
  });

  it('refuse bad, missing, expired and replayed signatures with 401 and store nothing', async () => {
    const fresh = slashCommand('ls');
    expect((await post(fresh)).status).toBe(200);
    const before = await snapshot();
    const cases: [string, { body: string; headers: Record<string, string> }, RegExp][] = [
      ['a replay', fresh, /used before: a replayed request/],
      ['another secret', slashCommand('ls', { secret: newSecret().slice(0, 32) }), /does not match/],
      ['a changed body', { ...slashCommand('ls'), body: `${slashCommand('ls').body}&text=status` }, /does not match/],
      ['no signature', { body: fresh.body, headers: { 'x-slack-request-timestamp': fresh.headers['x-slack-request-timestamp']! } }, /X-Slack-Signature is missing/],
      ['no timestamp', { body: fresh.body, headers: { 'x-slack-signature': fresh.headers['x-slack-signature']! } }, /timestamp header is missing/],
      ['five minutes old', slashCommand('ls', { at: new Date(Date.now() - 5 * 60_000 - 5_000) }), /requests older than 300 s are refused/],
      ['from the future', slashCommand('ls', { at: new Date(Date.now() + 10 * 60_000) }), /requests older than 300 s are refused/],
      ["Slack's own example, years old", { body: example.body, headers: example.headers }, /requests older than 300 s/],
    ];
    for (const [name, command, message] of cases) {
      const answer = await post(command);
      expect(answer.status, name).toBe(401);
      expect((answer.json as any).error.message, name).toMatch(message);
    }
    expect(await snapshot()).toBe(before);
  });

  it("refuse a response_url that is not Slack's", async () => {
    const answer = await post(slashCommand('ls', { responseUrl: 'http://169.254.169.254/latest/meta-data' }));
    expect(answer.status).toBe(400);
    expect((answer.json as any).error.details).toEqual([{ path: 'response_url', message: expect.stringMatching(/^must be on https:\/\/hooks.slack.com or http:\/\/127.0.0.1:\d+, not http:\/\/169.254.169.254$/) }]);
  });

  it('answer 401 once Slack is turned off', async () => {
    expect((await call(server, 'DELETE', '/chatops/slack/settings', { token: server.adminToken })).status).toBe(200);
    expect((await post(slashCommand('ls'))).status).toBe(401);
    expect(SlackSettingsView.parse((await call(server, 'GET', '/chatops/slack/settings', { token: server.adminToken })).json)).toEqual({ configured: false });
  });
});
