import type { Prices } from '../lib/core/cost/prices.ts';
import * as z from 'zod';
import { postToResponseUrl, type FollowUpLog } from './chatops/follow-ups.ts';
import { replyTo } from './chatops/receive-slash-command.ts';
import { SlashCommand } from './chatops/slash-command.ts';
import type { DeployDependencies } from './triggers/deploy-image.ts';
import { EventBridgeEvent } from '../contract/trigger-schemas.ts';
import { routeEventBridgeEvent } from './triggers/route-event.ts';

/**
 * What the trigger function's queue (the stack's CI-event inbox) carries: EventBridge events, as the stack's rules
 * deliver them (ECR pushes, CodePipeline and CodeBuild successes), and slash commands whose reply missed Slack's
 * three seconds, sent by the API.
 */
const SlackReply = z.object({ kind: z.literal('slack-reply'), command: SlashCommand });
type SlackReply = z.infer<typeof SlackReply>;
export const InboxMessage = z.union([SlackReply, EventBridgeEvent]);
export type InboxMessage = z.infer<typeof InboxMessage>;

function isSlackReply(message: InboxMessage): message is SlackReply {
  return message.kind === 'slack-reply';
}

export interface InboxDependencies extends DeployDependencies {
  log: FollowUpLog;
  /** What a run's usage is priced with in Slack replies. */
  prices?: Prices;
}

/** Handles one inbox message; the answer is the log line. Failures throw, so the message is delivered again. */
export async function processInboxMessage(deps: InboxDependencies, message: InboxMessage): Promise<string> {
  if (isSlackReply(message)) {
    const { command } = message;
    const reply = await replyTo(deps, await deps.store.chatIntegrations.get('slack'), command);
    await postToResponseUrl(command.response_url, reply);
    return `slack follow-up posted for ${command.command} ${command.text}`.trim();
  }
  const routed = await routeEventBridgeEvent(deps, message);
  if (routed.ignored !== undefined) return `event ${routed.event} ignored: ${routed.ignored}`;
  const outcomes = routed.results.map((result) => `${result.namespace}/${result.application} (trigger ${result.trigger}): ${result.outcome}${'revision' in result && result.revision !== undefined ? ` ${result.revision}` : ''}`);
  return `event ${routed.event}: ${outcomes.length === 0 ? 'no EventBridge trigger' : outcomes.join('; ')}`;
}
