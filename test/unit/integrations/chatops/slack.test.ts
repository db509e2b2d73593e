import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSummaryText, summarizeStatus } from '../../../../integrations/chatops/chat-summary.ts';
import { escapeMrkdwn, helpMessage, listMessage, statusMessage, type Block } from '../../../../integrations/chatops/slack-blocks.ts';
import { slackSignature } from '../../../../integrations/chatops/slack-signature.ts';
import { checkResponseUrl, parseChatRequest, readSlashCommand } from '../../../../integrations/chatops/slash-command.ts';
import { ApplicationStatus } from '../../../../lib/core/status/application-status.ts';
import { signTimestamped, verifyTimestamped } from '../../../../integrations/webhooks/signature.ts';
import { buildStatus } from '../../../../lib/core/status/build-status.ts';
import { publishedPrices } from '../../../../lib/core/cost/prices.ts';
import { basicUsage, seedScreens } from '../../core/status/seed-screens.ts';

const example = JSON.parse(readFileSync(new URL('../../../../events/slack/verifying-requests-example.json', import.meta.url), 'utf8')) as {
  signingSecret: string;
  headers: Record<string, string>;
  body: string;
};
const exampleTime = new Date(Number(example.headers['x-slack-request-timestamp']) * 1000);
const status = (name: string) => ApplicationStatus.parse(JSON.parse(readFileSync(new URL(`../../../fixtures/status/${name}.json`, import.meta.url), 'utf8')));

describe("Slack's v0 signature", () => {
  const secret = Buffer.from(example.signingSecret);
  const request = { headers: example.headers, body: Buffer.from(example.body) };

  it("verifies Slack's worked example, and signs it the same way", () => {
    expect(verifyTimestamped(slackSignature, secret, request, exampleTime)).toEqual({ ok: true });
    expect(signTimestamped(slackSignature, secret, example.headers['x-slack-request-timestamp']!, example.body)).toBe(example.headers['x-slack-signature']);
  });

  it('refuses it five minutes and a second later, with another secret, or with a changed body', () => {
    expect(verifyTimestamped(slackSignature, secret, request, new Date(exampleTime.getTime() + 301_000))).toMatchObject({ ok: false, reason: expect.stringMatching(/301 s away/) });
    expect(verifyTimestamped(slackSignature, Buffer.from('0'.repeat(32)), request, exampleTime)).toMatchObject({ ok: false });
    expect(verifyTimestamped(slackSignature, secret, { ...request, body: Buffer.from(`${example.body}&x=1`) }, exampleTime)).toMatchObject({ ok: false });
    expect(verifyTimestamped(slackSignature, secret, { ...request, headers: { ...example.headers, 'x-slack-signature': 'v1=abc' } }, exampleTime)).toMatchObject({
      ok: false,
      reason: 'X-Slack-Signature must read v0=<64 hex digits>',
    });
  });

  it("reads the example's form body as a slash command, and holds its response_url to Slack's origin", () => {
    const command = readSlashCommand(Buffer.from(example.body));
    expect(command).toMatchObject({ command: '/webhook-collect', text: '', team_id: 'T1DC2JH3J', user_id: 'U2CERLKJA', channel_id: 'G8PSS9T3V' });
    expect(() => checkResponseUrl(command, ['https://hooks.slack.com'])).not.toThrow();
    expect(() => checkResponseUrl({ ...command, response_url: 'http://169.254.169.254/latest' }, ['https://hooks.slack.com'])).toThrow(
      /response_url: must be on https:\/\/hooks.slack.com, not http:\/\/169.254.169.254/,
    );
  });
});

describe('chat requests', () => {
  it('reads status, ls and help, with -n', () => {
    expect(parseChatRequest('status example-app')).toEqual({ kind: 'status', application: 'example-app', namespace: 'default' });
    expect(parseChatRequest('  status example-app -n team-a ')).toEqual({ kind: 'status', application: 'example-app', namespace: 'team-a' });
    expect(parseChatRequest('status --namespace=team-a example-app')).toEqual({ kind: 'status', application: 'example-app', namespace: 'team-a' });
    expect(parseChatRequest('ls')).toEqual({ kind: 'ls', namespace: undefined });
    expect(parseChatRequest('ls -n team-a')).toEqual({ kind: 'ls', namespace: 'team-a' });
    expect(parseChatRequest('')).toEqual({ kind: 'help' });
    expect(parseChatRequest('help')).toEqual({ kind: 'help' });
  });

  it('answers what it cannot read with help and the problem', () => {
    expect(parseChatRequest('status')).toEqual({ kind: 'help', problem: 'status needs an application name' });
    expect(parseChatRequest('status a b')).toEqual({ kind: 'help', problem: 'status takes one application, not a b' });
    expect(parseChatRequest('status Example_App')).toEqual({ kind: 'help', problem: 'Example_App is not an application name' });
    expect(parseChatRequest('status app -n')).toEqual({ kind: 'help', problem: '-n needs a namespace' });
    expect(parseChatRequest('deploy app')).toEqual({ kind: 'help', problem: 'unknown command deploy' });
  });
});

const texts = (blocks: Block[]) =>
  blocks.flatMap((block) => ('text' in block && block.text ? [block.text.text] : []).concat('fields' in block && block.fields ? block.fields.map((field) => field.text) : []));

describe('Block Kit replies', () => {
  it('names the revision the clusters run, not the newest run listed, after a rollback', () => {
    const rolledBack = { ...status('basic'), revisions: { running: 'example-app-v5', newest: 'example-app-v6' } };
    const summary = summarizeStatus(rolledBack);
    expect(summary.revision).toBe('example-app-v5');
    expect(renderSummaryText(summary).split('\n')[0]).toBe('example-app (default): running, running revision example-app-v5');
    expect(texts(statusMessage(summary).blocks)).toContain('*Running revision*\nexample-app-v5');
  });

  it('shows the phase, the revision, health per cluster and the workflow steps', () => {
    const message = statusMessage(summarizeStatus(status('basic')));
    expect(message.response_type).toBe('ephemeral');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'example-app: running' } });
    const shown = texts(message.blocks);
    expect(shown).toContain('*Running revision*\nexample-app-v1');
    expect(shown).toContain('*Clusters* (2 of 2 healthy)');
    expect(shown).toContain(':white_check_mark: *beijing-1*\n:white_check_mark: hello-world-server Ready:3/3');
    expect(shown).toContain(':white_check_mark: *beijing-2*\n:white_check_mark: hello-world-server Ready:3/3');
    expect(shown).toContain('*Workflow* (DAG): finished');
    expect(shown).toContain(':white_check_mark: *deploy-beijing-clusters* (deploy) succeeded');
    expect(message.text).toBe(
      'example-app (default): running, running revision example-app-v1\nbeijing-1: healthy; hello-world-server healthy (Ready:3/3)\nbeijing-2: healthy; hello-world-server healthy (Ready:3/3)\nworkflow (DAG): finished\n  ✓ deploy-beijing-clusters succeeded\n',
    );
  });

  it("shows what the run cost, per cluster and in all, in Block Kit and in the plain text", () => {
    const summary = summarizeStatus(buildStatus({ ...seedScreens.basic, usage: { usage: basicUsage, prices: publishedPrices } }));
    expect(summary.cost).toEqual({ usd: expect.closeTo(0.0000538, 7), dynamodbRequests: 42, sqsRequests: 17, lambdaGbSeconds: 1.8125, prices: 'us-east-1 prices of 2024-11-01' });
    const message = statusMessage(summary);
    expect(texts(message.blocks)).toContain(':white_check_mark: *beijing-1* · $0.0000169\n:white_check_mark: hello-world-server Ready:3/3');
    const context = message.blocks.flatMap((block) => (block.type === 'context' ? block.elements.map((element) => element.text) : []));
    expect(context).toContain('Cost of this run: $0.0000538 estimated (42 DynamoDB and 17 SQS requests, 1.813 Lambda GB-s; us-east-1 prices of 2024-11-01)');
    expect(message.text).toContain('beijing-2: healthy; hello-world-server healthy (Ready:3/3); $0.0000131\n');
    expect(message.text).toMatch(/\ncost: \$0\.0000538 estimated \(42 DynamoDB and 17 SQS requests, 1\.813 Lambda GB-s; us-east-1 prices of 2024-11-01\)\n$/);
  });

  it('marks failed steps and unhealthy clusters', () => {
    const summary = summarizeStatus(status('namespace-failed'));
    const shown = texts(statusMessage(summary).blocks).join('\n');
    expect(shown).toMatch(/:x: \*[a-z0-9-]+\*/);
    expect(renderSummaryText(summary)).toMatch(/✗ \S+ failed/);
  });

  it('stays within Slack limits however many clusters and steps there are', () => {
    const summary = summarizeStatus(status('basic'));
    summary.clusters = Array.from({ length: 300 }, (_, index) => ({ cluster: `cluster-${index}`, healthy: index % 7 !== 0, components: [{ name: 'api', namespace: 'default', healthy: true, message: 'x'.repeat(3000) }] }));
    summary.workflow!.steps = Array.from({ length: 400 }, (_, index) => ({ name: `step-${index}`, type: 'deploy', phase: 'succeeded' as const, message: 'ok' }));
    const message = statusMessage(summary);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'context' });
    for (const block of message.blocks) {
      if (block.type === 'section') {
        expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
        for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
        expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      }
    }
  });

  it('escapes mrkdwn control characters, lists applications and shows help', () => {
    expect(escapeMrkdwn('<@U123> & <!channel>')).toBe('&lt;@U123&gt; &amp; &lt;!channel&gt;');
    const list = listMessage([{ namespace: 'default', name: 'example-app', revision: 'example-app-v3', deleting: false }], undefined);
    expect(texts(list.blocks)).toEqual(['Applications', '• *example-app* (default) example-app-v3']);
    expect(listMessage([], 'team-a').text).toBe('No application in namespace team-a.');
    expect(helpMessage('/flotilla', 'unknown command deploy').text).toMatch(/^unknown command deploy\n`\/flotilla status APP \[-n NAMESPACE\]`/);
  });
});
