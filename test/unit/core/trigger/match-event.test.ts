import { describe, expect, it } from 'vitest';
import type { CiEvent } from '../../../../lib/core/trigger/ci-event.ts';
import { readEventBridgeEvent } from '../../../../integrations/triggers/eventbridge-event.ts';
import { matchEvent, type TriggerRules } from '../../../../lib/core/trigger/match-event.ts';
import { matchesPattern } from '../../../../lib/core/trigger/trigger-rule.ts';
import { readGitHubDelivery } from '../../../../integrations/webhooks/github.ts';
import { githubExample, request, sample } from '../../integrations/webhooks/webhook-fixtures.ts';

function githubEvent(event: string, payload: unknown): CiEvent {
  const read = readGitHubDelivery(request({ 'x-github-event': event, 'x-github-delivery': 'd-1' }, JSON.stringify(payload)));
  if (read.kind !== 'event') throw new Error(read.reason);
  return read.event;
}

const pushToMaster = () => githubEvent('push', githubExample('push', (payload) => payload.ref === 'refs/heads/master' && !payload.deleted));
const tagPush = () => githubEvent('push', githubExample('push', (payload) => payload.ref === 'refs/tags/simple-tag' && !payload.deleted));

describe('patterns', () => {
  it('match exactly, with * for any run of characters', () => {
    expect(matchesPattern('main', 'main')).toBe(true);
    expect(matchesPattern('mainline', 'main')).toBe(false);
    expect(matchesPattern('release/1.4', 'release/*')).toBe(true);
    expect(matchesPattern('v1.4.0', 'v*')).toBe(true);
    expect(matchesPattern('v1.4.0', 'v1.?')).toBe(false);
    expect(matchesPattern('a.b', 'a?b')).toBe(false);
  });

  it.each([
    ['abc', 'a*c*', true],
    ['ab', '*a*b*c', false],
    ['', '*', true],
    ['', '', true],
    ['x', '', false],
    ['release/1/2', 'release/*/2', true],
    ['aaa', 'a*a*a*a', false],
  ])('%s against %s is %s', (value, pattern, expected) => {
    expect(matchesPattern(value, pattern)).toBe(expected);
  });

  it('matches a 30-star glob against a long subject in linear time (the old RegExp took 93 s at 12 stars)', () => {
    const glob = `${Array.from({ length: 30 }, () => '*').join('-')}-x`;
    const started = performance.now();
    expect(matchesPattern('-'.repeat(255), glob)).toBe(false);
    expect(matchesPattern(`${'-'.repeat(254)}x`, glob)).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('matching events against a trigger', () => {
  const trigger: TriggerRules = {
    source: 'github',
    image: 'ghcr.io/codertocat/hello-world:${shortSha}',
    events: [{ on: 'push', branches: ['main', 'master'] }, { on: 'tag', tags: ['v*'], image: 'ghcr.io/codertocat/hello-world:${tag}' }],
  };

  it('deploys a push to a listed branch with the trigger\'s image template', () => {
    expect(matchEvent(trigger, pushToMaster())).toEqual({ matched: true, rule: trigger.events[0], image: 'ghcr.io/codertocat/hello-world:6113728' });
  });

  it('says why a push to another branch is ignored', () => {
    const event = pushToMaster();
    event.subject.branch = 'dev';
    expect(matchEvent(trigger, event)).toEqual({
      matched: false,
      reason: 'push of 6113728 to branch master of codertocat/hello-world; this trigger deploys pushes to branch main, master',
    });
  });

  it("uses a rule's own template, and says why a tag of another pattern is ignored", () => {
    const event = tagPush();
    expect(matchEvent(trigger, event)).toEqual({ matched: false, reason: 'tag simple-tag (6113728) of codertocat/hello-world; this trigger deploys tags matching v*' });
    event.subject.tag = 'v2.0.0';
    event.variables.tag = 'v2.0.0';
    expect(matchEvent(trigger, event)).toMatchObject({ matched: true, image: 'ghcr.io/codertocat/hello-world:v2.0.0' });
  });

  it('ignores kinds of events the trigger does not name', () => {
    const onlyTags: TriggerRules = { source: 'github', events: [{ on: 'tag', image: 'app:${tag}' }] };
    expect(matchEvent(onlyTags, pushToMaster())).toEqual({ matched: false, reason: 'push of 6113728 to branch master of codertocat/hello-world; this trigger deploys tags only' });
  });

  it('ignores an event whose image would not be an image reference', () => {
    const byBranch: TriggerRules = { source: 'github', events: [{ on: 'push', image: 'ghcr.io/org/app:${repository}' }] };
    expect(matchEvent(byBranch, pushToMaster())).toMatchObject({ matched: false, reason: expect.stringMatching(/"ghcr.io\/org\/app:codertocat\/hello-world" is not an image reference/) });
  });

  it('deploys an ECR push as pushed by default, filtered by repository', () => {
    const ecr = readEventBridgeEvent(sample('eventbridge/ecr-image-push.json'));
    if (ecr.kind !== 'event') throw new Error('expected an event');
    const listening: TriggerRules = { source: 'eventbridge', events: [{ on: 'image', repositories: ['my-repository-name'] }] };
    expect(matchEvent(listening, ecr.event)).toMatchObject({ matched: true, image: '123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name:latest' });
    const elsewhere: TriggerRules = { source: 'eventbridge', events: [{ on: 'image', repositories: ['other'] }] };
    expect(matchEvent(elsewhere, ecr.event)).toEqual({
      matched: false,
      reason: 'ECR push of 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name:latest; this trigger deploys pushed images to repository other',
    });
  });

  it('ignores an event that lacks a variable the template uses', () => {
    const build = readEventBridgeEvent(sample('eventbridge/codebuild-build-succeeded.json'));
    if (build.kind !== 'event') throw new Error('expected an event');
    const byTag: TriggerRules = { source: 'eventbridge', events: [{ on: 'codebuild', projects: ['my-sample-project'], image: 'app:${env.IMAGE_TAG}' }] };
    expect(matchEvent(byTag, build.event)).toEqual({
      matched: false,
      reason: 'CodeBuild my-sample-project build 55 succeeded; the image template uses ${env.IMAGE_TAG}, which this event does not carry',
    });
  });
});
