import type { CredentialCipher } from '../../lib/engine/ports/credential-cipher.ts';
import type { ChatIntegrationRecord } from '../../lib/core/chatops/chat-integration-record.ts';
import type { Store } from '../../lib/engine/ports/store.ts';
import type { Prices } from '../../lib/core/cost/prices.ts';
import type { WebhookRequest } from '../webhooks/webhook-request.ts';
import { answerChatRequest } from './chat-replies.ts';
import type { FollowUpLog, SlackFollowUps } from './follow-ups.ts';
import { noticeMessage, type SlackMessage } from './slack-blocks.ts';
import { chatPrincipal } from './slack-integration.ts';
import { verifySlackRequest } from './verify-slack-request.ts';
import { checkResponseUrl, parseChatRequest, readSlashCommand, type SlashCommand } from './slash-command.ts';
import { errorMessage } from '../../lib/core/errors/error-message.ts';

export interface ChatopsSettings {
  followUps: SlackFollowUps;
  /** How long the answer may take before Slack gets an acknowledgement instead (Slack gives up at 3 s). */
  inlineBudgetMs: number;
  /** Origins a response_url may have: Slack's, https://hooks.slack.com. */
  responseUrlOrigins: readonly string[];
}

export interface SlashCommandDependencies {
  store: Store;
  cipher: CredentialCipher;
  chatops: ChatopsSettings;
  log: FollowUpLog;
  now(): Date;
  /** What a run's usage is priced with in the status reply; the published prices without. */
  prices?: Prices;
}

export type SlashCommandResult = { kind: 'unauthenticated'; reason: string } | { kind: 'answer'; message: SlackMessage; deferred: boolean };

/**
 * `POST /chatops/slack`: verifies Slack's v0 signature with the stored signing secret (five-minute window, each
 * signature once), then answers within the budget: the reply itself when it is ready in time, otherwise an
 * acknowledgement now and the reply through the response_url.
 */
export async function receiveSlashCommand(deps: SlashCommandDependencies, request: WebhookRequest): Promise<SlashCommandResult> {
  const started = Date.now();
  const verified = await verifySlackRequest(deps, request);
  if (!verified.ok) return { kind: 'unauthenticated', reason: verified.reason };
  const { integration } = verified;
  const command = readSlashCommand(request.body);
  checkResponseUrl(command, deps.chatops.responseUrlOrigins);
  const reply = replyTo(deps, integration, command);
  const budget = Math.max(0, deps.chatops.inlineBudgetMs - (Date.now() - started));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, budget, undefined)));
  const first = await Promise.race([reply, late]);
  clearTimeout(timer);
  if (first !== undefined) return { kind: 'answer', message: first, deferred: false };
  await deps.chatops.followUps.defer(command, reply);
  const asked = `${command.command} ${command.text}`.trim();
  return { kind: 'answer', message: noticeMessage(`Working on ${asked}; the answer follows in a moment.`), deferred: true };
}

/** The reply, never rejected: a failure becomes a message saying so (the detail goes to the log, not to Slack). */
export async function replyTo(
  deps: { store: Store; log: FollowUpLog; prices?: Prices | undefined },
  integration: ChatIntegrationRecord | undefined,
  command: SlashCommand,
): Promise<SlackMessage> {
  try {
    if (integration === undefined) return noticeMessage('The Slack integration was removed.');
    return await answerChatRequest(deps.store, chatPrincipal(integration), command.command, parseChatRequest(command.text), deps.prices);
  } catch (err) {
    deps.log('error', 'chat reply failed', { error: errorMessage(err) });
    return noticeMessage('Flotilla could not answer just now; try again in a moment.');
  }
}
