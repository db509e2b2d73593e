import { describe, expect, it } from 'vitest';
import { readGitLabDelivery, verifyGitLab } from '../../../../integrations/webhooks/gitlab.ts';
import { request, sample } from './webhook-fixtures.ts';

const secret = Buffer.from('gitlab-secret-token-0123456789');

function hook(event: string, payload: unknown, headers: Record<string, string> = {}) {
  return request({ 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': secret.toString(), ...headers }, JSON.stringify(payload));
}

describe('GitLab secret tokens (X-Gitlab-Token)', () => {
  it('accepts the secret token and refuses a missing or different one', () => {
    const body = JSON.stringify(sample('webhooks/gitlab/push-hook.json'));
    expect(verifyGitLab(secret, request({ 'x-gitlab-token': secret.toString() }, body))).toEqual({ ok: true });
    expect(verifyGitLab(secret, request({}, body))).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verifyGitLab(secret, request({ 'x-gitlab-token': `${secret.toString()}x` }, body))).toMatchObject({ ok: false });
    expect(verifyGitLab(secret, request({ 'x-gitlab-token': secret.toString().slice(0, -1) }, body))).toMatchObject({ ok: false });
  });
});

describe('GitLab deliveries', () => {
  it('reads a Push Hook: checkout_sha, branch and project path', () => {
    const read = readGitLabDelivery(hook('Push Hook', sample('webhooks/gitlab/push-hook.json'), { 'idempotency-key': '908a6d9e-45fd-46c8-97e6-c4f350f219dd' }));
    expect(read).toEqual({
      kind: 'event',
      event: {
        source: 'gitlab',
        kind: 'push',
        deliveryId: '908a6d9e-45fd-46c8-97e6-c4f350f219dd',
        summary: 'push of da15608 to branch master of mike/diaspora',
        subject: { branch: 'master', repository: 'mike/diaspora' },
        variables: { sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', shortSha: 'da15608', branch: 'master', repository: 'mike/diaspora' },
      },
    });
  });

  it('takes the delivery id from Idempotency-Key, else X-Gitlab-Event-UUID, else the body', () => {
    const payload = sample('webhooks/gitlab/push-hook.json');
    const idOf = (headers: Record<string, string>) => {
      const read = readGitLabDelivery(hook('Push Hook', payload, headers));
      return read.kind === 'event' ? read.event.deliveryId : undefined;
    };
    expect(idOf({ 'x-gitlab-event-uuid': 'b3c0d8c4-7bd0-4c2a-9bb4-4f1d5b6c1e2a' })).toBe('b3c0d8c4-7bd0-4c2a-9bb4-4f1d5b6c1e2a');
    expect(idOf({ 'idempotency-key': 'k1', 'x-gitlab-event-uuid': 'u1' })).toBe('k1');
    expect(idOf({})).toMatch(/^[0-9a-f]{64}$/);
    expect(idOf({})).toBe(idOf({}));
  });

  it('reads a Tag Push Hook, and ignores deleted branches', () => {
    expect(readGitLabDelivery(hook('Tag Push Hook', sample('webhooks/gitlab/tag-push-hook.json')))).toMatchObject({
      kind: 'event',
      event: { kind: 'tag', subject: { tag: 'v1.0.0', repository: 'jsmith/example' }, variables: { sha: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7', tag: 'v1.0.0' } },
    });
    const deleted = { ...sample('webhooks/gitlab/push-hook.json'), after: '0'.repeat(40), checkout_sha: null };
    expect(readGitLabDelivery(hook('Push Hook', deleted))).toEqual({ kind: 'ignored', reason: 'refs/heads/master of mike/diaspora was deleted' });
  });

  it('reads a successful Pipeline Hook with its ref as branch, and ignores pipelines that did not succeed', () => {
    const pipeline = sample('webhooks/gitlab/pipeline-hook.json');
    expect(readGitLabDelivery(hook('Pipeline Hook', pipeline))).toMatchObject({
      kind: 'event',
      event: {
        kind: 'pipeline',
        summary: 'pipeline 31 succeeded for bcbb5ec on branch master of gitlab-org/gitlab-test',
        subject: { branch: 'master' },
        variables: { ref: 'master', branch: 'master', pipelineId: '31', sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2' },
      },
    });
    pipeline.object_attributes.status = 'failed';
    expect(readGitLabDelivery(hook('Pipeline Hook', pipeline))).toEqual({ kind: 'ignored', reason: 'pipeline 31 of gitlab-org/gitlab-test is failed; only successful pipelines deploy' });
  });

  it('ignores other hooks', () => {
    expect(readGitLabDelivery(hook('Issue Hook', { object_kind: 'issue' }))).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/^GitLab Issue Hook events deploy nothing/) });
  });
});
