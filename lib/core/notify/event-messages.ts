import type { RunEvent } from '../run/run-events.ts';

/** One line per transition: `team-a/shop shop-v3: step deploy failed: boom`. */
export function eventLine(event: RunEvent): string {
  const [scope, what] = event.event.split('.') as [string, string];
  const subject = scope === 'step' && event.step ? `step ${event.step.name}` : 'run';
  return `${event.namespace}/${event.application} ${event.revision}: ${subject} ${what}${event.message ? `: ${event.message}` : ''}`;
}

/** The body a notification target gets for a batch of transitions: Slack's `text`, or the events themselves. */
export function targetBody(channel: 'slack' | 'webhook', events: readonly RunEvent[]): string {
  if (channel === 'slack') return JSON.stringify({ text: events.map(eventLine).join('\n') });
  return JSON.stringify({ text: events.map(eventLine).join('\n'), events });
}
