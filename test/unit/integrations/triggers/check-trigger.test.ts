import { describe, expect, it } from 'vitest';
import { checkNewTrigger } from '../../../../integrations/triggers/triggers.ts';
import { NewTrigger } from '../../../../contract/trigger-schemas.ts';

const trigger = (input: Record<string, unknown>) => NewTrigger.parse({ component: 'api', ...input });

describe('checking a new trigger', () => {
  it('accepts a GitHub push trigger with a secret and a template its events fill', () => {
    expect(checkNewTrigger(trigger({ source: 'github', secret: 'x'.repeat(32), image: 'ghcr.io/org/app:${sha}', events: [{ on: 'push', branches: ['main'] }] }))).toEqual([]);
  });

  it('lists every problem with its path', () => {
    const issues = checkNewTrigger(
      trigger({
        source: 'github',
        events: [{ on: 'pipeline' }, { on: 'push' }, { on: 'tag', image: 'app:${branch}' }],
      }),
    );
    expect(issues).toEqual([
      { path: 'events[0].on', message: 'github triggers act on push, tag, package, workflow events, not pipeline' },
      { path: 'events[1].image', message: 'is required for push events (or set image on the trigger): e.g. ghcr.io/org/app:${sha}' },
      { path: 'events[2].image', message: 'github tag events carry no ${branch}; they carry ${sha}, ${shortSha}, ${tag}, ${repository}' },
      { path: 'secret', message: 'is required for github webhooks: the same secret goes into the webhook\'s settings' },
    ]);
  });

  it('needs EventBridge rules to name what they listen to, takes no secret, and defaults image events to the pushed image', () => {
    expect(checkNewTrigger(trigger({ source: 'eventbridge', events: [{ on: 'image', repositories: ['app'] }] }))).toEqual([]);
    expect(checkNewTrigger(trigger({ source: 'eventbridge', secret: 'x'.repeat(16), events: [{ on: 'image' }, { on: 'codebuild', image: 'app:${buildNumber}' }] }))).toEqual([
      { path: 'events[0].repositories', message: 'is required: EventBridge delivers the events of the whole account, so name the repositories this trigger listens to' },
      { path: 'events[1].projects', message: 'is required: EventBridge delivers the events of the whole account, so name the projects this trigger listens to' },
      { path: 'secret', message: "EventBridge triggers have no secret: their events come from the account's own bus" },
    ]);
  });

  it('refuses short secrets and filters on rules that do not have them', () => {
    expect(NewTrigger.safeParse({ source: 'gitlab', component: 'api', secret: 'short', events: [{ on: 'push', image: 'a:${sha}' }] }).success).toBe(false);
    expect(NewTrigger.safeParse({ source: 'gitlab', component: 'api', secret: 'x'.repeat(20), events: [{ on: 'push', tags: ['v*'], image: 'a:${sha}' }] }).success).toBe(false);
  });
});
