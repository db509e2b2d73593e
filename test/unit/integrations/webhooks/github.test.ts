import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { readGitHubDelivery, verifyGitHub } from '../../../../integrations/webhooks/github.ts';
import { githubExample, githubExamplesOf, request } from './webhook-fixtures.ts';

const secret = Buffer.from('It\'s a Secret to Everybody');
const sign = (body: string, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

function delivery(event: string, payload: unknown, headers: Record<string, string> = {}) {
  const body = JSON.stringify(payload);
  return request({ 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': sign(body), ...headers }, body);
}

describe('GitHub signatures (X-Hub-Signature-256)', () => {
  it("checks GitHub's documented example: HMAC-SHA256 of the body under the secret", () => {
    const documented = request({ 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' }, 'Hello, World!');
    expect(verifyGitHub(secret, documented)).toEqual({ ok: true });
  });

  it('refuses a missing, malformed or wrong signature, a wrong secret and a changed body', () => {
    const body = JSON.stringify(githubExample('push'));
    expect(verifyGitHub(secret, request({}, body))).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verifyGitHub(secret, request({ 'x-hub-signature-256': 'sha1=abc' }, body))).toMatchObject({ ok: false, reason: expect.stringMatching(/must read sha256=/) });
    expect(verifyGitHub(secret, request({ 'x-hub-signature-256': sign(body, Buffer.from('another secret')) }, body))).toMatchObject({ ok: false });
    expect(verifyGitHub(secret, request({ 'x-hub-signature-256': sign(body) }, `${body} `))).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    expect(verifyGitHub(secret, request({ 'x-hub-signature-256': sign(body).toUpperCase().replace('SHA256=', 'sha256=') }, body))).toEqual({ ok: true });
  });
});

describe('GitHub deliveries', () => {
  it('reads a push to a branch: the commit, the branch and the lower-cased repository', () => {
    const push = githubExample('push', (payload) => payload.ref === 'refs/heads/master' && payload.deleted === false);
    const read = readGitHubDelivery(delivery('push', push));
    expect(read).toEqual({
      kind: 'event',
      event: {
        source: 'github',
        kind: 'push',
        deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        summary: 'push of 6113728 to branch master of codertocat/hello-world',
        subject: { branch: 'master', repository: 'codertocat/hello-world' },
        variables: { sha: push.after, shortSha: '6113728', branch: 'master', repository: 'codertocat/hello-world' },
      },
    });
  });

  it('reads a pushed tag as a tag, and ignores deleted tags and branches', () => {
    const tag = githubExample('push', (payload) => payload.ref === 'refs/tags/simple-tag' && payload.created === true);
    expect(readGitHubDelivery(delivery('push', tag))).toMatchObject({ kind: 'event', event: { kind: 'tag', subject: { tag: 'simple-tag' }, variables: { tag: 'simple-tag' } } });
    const deletions = githubExamplesOf('push').filter((payload) => payload.deleted === true);
    expect(deletions.length).toBeGreaterThan(0);
    for (const deleted of deletions) {
      expect(readGitHubDelivery(delivery('push', deleted))).toEqual({ kind: 'ignored', reason: 'refs/tags/simple-tag of codertocat/hello-world was deleted' });
    }
  });

  it('reads a published container package as its image, and ignores npm packages', () => {
    const container = githubExample('package', (payload) => payload.package.package_version?.container_metadata !== undefined);
    container.package.package_version.container_metadata.tag.name = 'nightly';
    expect(readGitHubDelivery(delivery('package', container))).toMatchObject({
      kind: 'event',
      event: { kind: 'package', subject: { package: 'hello-world-npm', tag: 'nightly' }, variables: { image: 'ghcr.io/codertocat/hello-world:nightly', tag: 'nightly' } },
    });
    const npm = githubExample('package', (payload) => payload.package.package_version?.container_metadata === undefined);
    expect(readGitHubDelivery(delivery('package', npm))).toEqual({ kind: 'ignored', reason: 'package hello-world-npm is a npm package, not a container image' });
  });

  it('reads a successful workflow run, and ignores runs that did not succeed or are not complete', () => {
    const success = githubExample('workflow_run', (payload) => payload.action === 'completed' && payload.workflow_run.conclusion === 'success');
    success.workflow_run.name = 'build';
    expect(readGitHubDelivery(delivery('workflow_run', success))).toMatchObject({
      kind: 'event',
      event: { kind: 'workflow', subject: { workflow: 'build', branch: 'master', repository: 'octo-org/octo-repo' }, variables: { sha: success.workflow_run.head_sha, runNumber: String(success.workflow_run.run_number) } },
    });
    const requested = githubExample('workflow_run', (payload) => payload.action === 'requested');
    expect(readGitHubDelivery(delivery('workflow_run', requested))).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/requested; only completed runs deploy$/) });
    const failed = structuredClone(success);
    failed.workflow_run.conclusion = 'failure';
    expect(readGitHubDelivery(delivery('workflow_run', failed))).toMatchObject({ kind: 'ignored', reason: 'workflow run build completed with conclusion failure; only successful runs deploy' });
  });

  it('answers ping and ignores events that deploy nothing', () => {
    expect(readGitHubDelivery(delivery('ping', githubExample('ping')))).toEqual({ kind: 'ignored', reason: 'ping: GitHub reaches this trigger and the secret matches' });
    expect(readGitHubDelivery(delivery('issues', githubExample('issues')))).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/^GitHub issues events deploy nothing/) });
  });

  it('reads form-encoded deliveries (payload=...) as well as JSON', () => {
    const push = githubExample('push', (payload) => payload.ref === 'refs/heads/master');
    const form = new URLSearchParams({ payload: JSON.stringify(push) }).toString();
    const read = readGitHubDelivery(request({ 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push', 'x-github-delivery': 'abc' }, form));
    expect(read).toMatchObject({ kind: 'event', event: { kind: 'push', deliveryId: 'abc' } });
  });

  it('needs the event type and a well-formed delivery id, and a payload of the event\'s shape', () => {
    const body = JSON.stringify(githubExample('push'));
    expect(() => readGitHubDelivery(request({ 'x-github-delivery': 'abc' }, body))).toThrow(/x-github-event/);
    expect(() => readGitHubDelivery(request({ 'x-github-event': 'push' }, body))).toThrow(/x-github-delivery: is required/);
    expect(() => readGitHubDelivery(request({ 'x-github-event': 'push', 'x-github-delivery': 'a#b' }, body))).toThrow(ValidationError);
    expect(() => readGitHubDelivery(request({ 'x-github-event': 'push', 'x-github-delivery': 'abc' }, '{"ref": 1}'))).toThrow(ValidationError);
  });
});
