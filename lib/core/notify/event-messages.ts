import type { RunEvent } from '../run/run-events.ts';

/** One line per transition: `team-a/shop shop-v3: step deploy failed: boom`. */
export function eventLine(event: RunEvent): string {
  const [scope, what] = event.event.split('.') as [string, string];
  const subject = scope === 'step' && event.step ? `step ${event.step.name}` : 'run';
  return `${event.namespace}/${event.application} ${event.revision}: ${subject} ${what}${event.message ? `: ${event.message}` : ''}`;
}

/** What an Approve / Stop button carries back: the run it was shown for. */
export interface ApprovalValue {
  namespace: string;
  application: string;
  runId: string;
}

export const approveActionId = 'flotilla_resume';
export const stopActionId = 'flotilla_terminate';

/**
 * The body a notification target gets for a batch of transitions: Slack's `text` (with Approve / Stop buttons when
 * the run was suspended: they resume or terminate it, see integrations/chatops/receive-interaction.ts), or the events.
 */
export function targetBody(channel: 'slack' | 'webhook', events: readonly RunEvent[]): string {
  const text = events.map(eventLine).join('\n');
  if (channel === 'webhook') return JSON.stringify({ text, events });
  const suspended = events.find((event) => event.event === 'run.suspended');
  if (suspended === undefined) return JSON.stringify({ text });
  const value = JSON.stringify({ namespace: suspended.namespace, application: suspended.application, runId: suspended.runId } satisfies ApprovalValue);
  const button = (label: string, actionId: string, style: 'primary' | 'danger') => ({ type: 'button', text: { type: 'plain_text', text: label }, action_id: actionId, value, style });
  return JSON.stringify({
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'actions', elements: [button('Approve', approveActionId, 'primary'), button('Stop', stopActionId, 'danger')] },
    ],
  });
}
