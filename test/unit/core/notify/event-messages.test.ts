import { describe, expect, it } from 'vitest';
import { eventLine, targetBody } from '../../../../lib/core/notify/event-messages.ts';
import type { RunEvent } from '../../../../lib/core/run/run-events.ts';

const common = { at: '2026-12-01T15:00:00.000Z', namespace: 'team-a', application: 'shop', runId: 'r1', revision: 'shop-v3' };
const failed: RunEvent = { ...common, event: 'step.failed', step: { name: 'deploy', type: 'deploy' }, message: 'boom' };
const suspended: RunEvent = { ...common, event: 'run.suspended' };

describe('event messages', () => {
  it('one line per transition, naming the step and the reason', () => {
    expect(eventLine(failed)).toBe('team-a/shop shop-v3: step deploy failed: boom');
    expect(eventLine({ ...common, event: 'run.rolled-back' })).toBe('team-a/shop shop-v3: run rolled-back');
  });

  it('a webhook gets the text and the events; Slack the text', () => {
    expect(JSON.parse(targetBody('webhook', [failed]))).toEqual({ text: eventLine(failed), events: [failed] });
    expect(JSON.parse(targetBody('slack', [failed]))).toEqual({ text: eventLine(failed) });
  });

  it("a suspended run's Slack message carries Approve and Stop, each naming the run", () => {
    const body = JSON.parse(targetBody('slack', [{ ...common, event: 'step.suspended', step: { name: 'approve', type: 'suspend' } }, suspended]));
    const [section, actions] = body.blocks;
    expect(section).toEqual({ type: 'section', text: { type: 'mrkdwn', text: body.text } });
    expect(actions.elements.map((e: { action_id: string; style: string }) => [e.action_id, e.style])).toEqual([
      ['flotilla_resume', 'primary'],
      ['flotilla_terminate', 'danger'],
    ]);
    for (const element of actions.elements) expect(JSON.parse(element.value)).toEqual({ namespace: 'team-a', application: 'shop', runId: 'r1' });
  });
});
