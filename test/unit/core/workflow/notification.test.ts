import { describe, expect, it } from 'vitest';
import { conditionHolds, parseStepCondition } from '../../../../lib/core/workflow/step-condition.ts';
import { defaultNotificationText, renderNotificationText, type OutboundContext } from '../../../../lib/core/workflow/notification-message.ts';
import { outboundContext, outboundPosts } from '../../../../lib/core/workflow/outbound-posts.ts';
import { signBody, verifyBody } from '../../../../lib/core/workflow/webhook-signature.ts';
import { createHmac } from 'node:crypto';

const context: OutboundContext = {
  application: 'shop',
  namespace: 'team-a',
  revision: 'shop-v3',
  runId: 'r1',
  step: 'tell',
  outcome: 'failed',
  steps: [{ name: 'deploy', phase: 'failed', message: 'boom' }],
};

describe('parseStepCondition', () => {
  it.each([
    ['always', { kind: 'always' }],
    [' always ', { kind: 'always' }],
    ['status.deploy-prod.failed', { kind: 'status', step: 'deploy-prod', outcome: 'failed' }],
    ['status.deploy.succeeded', { kind: 'status', step: 'deploy', outcome: 'succeeded' }],
  ])('reads %j', (text, condition) => {
    expect(parseStepCondition(text)).toEqual({ ok: true, condition });
  });

  it.each(['status.deploy.phase == "failed"', 'status.deploy.timeout', '!status.deploy.failed', 'inputs.x', 'Always', 'status.Deploy.failed', ''])('refuses %j, naming the forms it evaluates', (text) => {
    const parsed = parseStepCondition(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toBe(`unsupported condition ${JSON.stringify(text)}: Flotilla evaluates \`always\`, \`status.<step>.failed\` or \`status.<step>.succeeded\``);
  });
});

describe('conditionHolds', () => {
  const phases = new Map([
    ['a', 'failed'],
    ['b', 'succeeded'],
    ['c', 'skipped'],
  ]);
  it('without a condition runs only when nothing failed', () => {
    expect(conditionHolds(undefined, phases, true)).toBe(false);
    expect(conditionHolds(undefined, phases, false)).toBe(true);
  });
  it('reads the named step; a skipped step has neither failed nor succeeded', () => {
    expect(conditionHolds({ kind: 'status', step: 'a', outcome: 'failed' }, phases, true)).toBe(true);
    expect(conditionHolds({ kind: 'status', step: 'a', outcome: 'succeeded' }, phases, true)).toBe(false);
    expect(conditionHolds({ kind: 'status', step: 'b', outcome: 'succeeded' }, phases, true)).toBe(true);
    expect(conditionHolds({ kind: 'status', step: 'c', outcome: 'failed' }, phases, false)).toBe(false);
    expect(conditionHolds({ kind: 'status', step: 'c', outcome: 'succeeded' }, phases, false)).toBe(false);
    expect(conditionHolds({ kind: 'always' }, phases, true)).toBe(true);
  });
});

describe('renderNotificationText', () => {
  it('fills the application, namespace, revision, step and outcome', () => {
    expect(renderNotificationText(defaultNotificationText, context)).toBe('Flotilla: team-a/shop revision shop-v3 failed (step tell)');
    expect(renderNotificationText('{{ application }}@{{revision}}: {{outcome}} [{{runId}}]', context)).toBe('shop@shop-v3: failed [r1]');
  });
  it('leaves an unknown placeholder as written, so a typo shows', () => {
    expect(renderNotificationText('{{aplication}} {{step}}', context)).toBe('{{aplication}} tell');
  });
});

describe('outboundContext', () => {
  it('says failed when an earlier step failed, and lists only the earlier steps', () => {
    const run = { application: 'shop', namespace: 'team-a', revisionName: 'shop-v3', runId: 'r1', steps: [{ name: 'deploy', phase: 'failed', message: 'boom' }, { name: 'tell', phase: 'running' }, { name: 'later', phase: 'pending' }] };
    expect(outboundContext(run, 'tell')).toEqual(context);
    expect(outboundContext({ ...run, steps: [{ name: 'deploy', phase: 'succeeded' }, { name: 'tell', phase: 'running' }] }, 'tell').outcome).toBe('succeeded');
  });
});

describe('outboundPosts', () => {
  const common = { id: 'x', name: 'tell', dependsOn: [], placements: [] };
  it('a notification posts the Slack text and the webhook text with the context, signed when a key is given', () => {
    const posts = outboundPosts(
      { ...common, type: 'notification', properties: { slack: { url: { value: 'https://hooks.slack.com/services/T/B/x' }, message: { text: '{{application}} {{outcome}}' } }, webhook: { url: 'https://example.com/hook', secret: { value: 'k'.repeat(16) } } } },
      context,
    );
    expect(posts).toEqual([
      { channel: 'slack', url: 'https://hooks.slack.com/services/T/B/x', body: JSON.stringify({ text: 'shop failed' }) },
      { channel: 'webhook', url: 'https://example.com/hook', body: JSON.stringify({ text: renderNotificationText(defaultNotificationText, context), context }), secret: 'k'.repeat(16) },
    ]);
  });
  it('a webhook step posts the application context', () => {
    expect(outboundPosts({ ...common, type: 'webhook', properties: { url: 'https://example.com/ctx' } }, context)).toEqual([{ channel: 'webhook', url: 'https://example.com/ctx', body: JSON.stringify({ context }) }]);
  });
});

describe('signBody and verifyBody', () => {
  const secret = 'a-signing-key-of-some-length';
  const body = '{"text":"hi"}';
  const now = new Date('2026-12-01T15:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);

  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, with a sha256= prefix', () => {
    expect(signBody(secret, ts, body)).toBe(`sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`);
  });
  it('verifies a good signature and refuses a changed body, a wrong key, a changed timestamp and an old one', () => {
    const signature = signBody(secret, ts, body);
    expect(verifyBody(secret, { timestamp: String(ts), signature }, body, now)).toBe(true);
    expect(verifyBody(secret, { timestamp: String(ts), signature }, '{"text":"ho"}', now)).toBe(false);
    expect(verifyBody('another-key-entirely', { timestamp: String(ts), signature }, body, now)).toBe(false);
    expect(verifyBody(secret, { timestamp: String(ts + 1), signature }, body, now)).toBe(false);
    expect(verifyBody(secret, { timestamp: String(ts), signature }, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyBody(secret, { timestamp: undefined, signature }, body, now)).toBe(false);
    expect(verifyBody(secret, { timestamp: String(ts), signature: undefined }, body, now)).toBe(false);
  });
});
