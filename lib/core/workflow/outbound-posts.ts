import { defaultNotificationText, renderNotificationText, type OutboundContext } from './notification-message.ts';
import { valueOf } from './notification-step.ts';
import type { PlannedNotificationStep, PlannedWebhookStep } from './workflow-plan.ts';

/** One POST a step makes: where, what, and the HMAC key when it is signed. */
export interface PlannedPost {
  channel: 'slack' | 'webhook';
  url: string;
  body: string;
  secret?: string;
}

/**
 * The posts of a notification or webhook step, from properties whose secrets are in place. A Slack message is its
 * `text`; a notification's webhook gets the text and the context; a webhook step posts the context (KubeVela's
 * webhook step posts the application context).
 */
export function outboundPosts(step: PlannedNotificationStep | PlannedWebhookStep, context: OutboundContext): PlannedPost[] {
  if (step.type === 'webhook') {
    const secret = step.properties.secret === undefined ? undefined : valueOf(step.properties.secret);
    return [{ channel: 'webhook', url: valueOf(step.properties.url), body: JSON.stringify({ context }), ...(secret === undefined ? {} : { secret }) }];
  }
  const posts: PlannedPost[] = [];
  const { slack, webhook } = step.properties;
  if (slack !== undefined) {
    posts.push({ channel: 'slack', url: valueOf(slack.url), body: JSON.stringify({ text: renderNotificationText(slack.message?.text ?? defaultNotificationText, context) }) });
  }
  if (webhook !== undefined) {
    const text = renderNotificationText(webhook.message?.text ?? defaultNotificationText, context);
    const secret = webhook.secret === undefined ? undefined : valueOf(webhook.secret);
    posts.push({ channel: 'webhook', url: valueOf(webhook.url), body: JSON.stringify({ text, context }), ...(secret === undefined ? {} : { secret }) });
  }
  return posts;
}

/** The context of a step about to run: the run so far, and its outcome (failed when an earlier step failed). */
export function outboundContext(
  run: { application: string; namespace: string; revisionName: string; runId: string; steps: readonly { name: string; phase: string; message?: string | undefined }[] },
  stepName: string,
): OutboundContext {
  const index = run.steps.findIndex((step) => step.name === stepName);
  const earlier = run.steps.slice(0, index === -1 ? run.steps.length : index);
  return {
    application: run.application,
    namespace: run.namespace,
    revision: run.revisionName,
    runId: run.runId,
    step: stepName,
    outcome: earlier.some((step) => step.phase === 'failed') ? 'failed' : 'succeeded',
    steps: earlier.map((step) => ({ name: step.name, phase: step.phase, ...(step.message ? { message: step.message } : {}) })),
  };
}
