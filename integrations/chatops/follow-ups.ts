import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SlackMessage } from './slack-blocks.ts';
import type { SlashCommand } from './slash-command.ts';
import { errorMessage } from '../../lib/core/errors/error-message.ts';

/**
 * Slack waits three seconds for a slash command's answer. A reply that is not ready by then is acknowledged at once
 * and posted to the command's response_url when it is: by this process when it outlives the request (the local
 * runtime), or by the trigger function from its queue (Lambda freezes a function once it has answered).
 */
export interface SlackFollowUps {
  defer(command: SlashCommand, reply: Promise<SlackMessage>): Promise<void>;
}

export type FollowUpLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** Posts a message to a response_url (the URL itself is a credential of sorts: it is never logged). */
export async function postToResponseUrl(responseUrl: string, message: SlackMessage, fetchImpl: typeof fetch = fetch): Promise<void> {
  const response = await fetchImpl(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...message, replace_original: false }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`Slack refused the follow-up with HTTP ${response.status}`);
}

/** The reply keeps being worked on in this process and is posted when ready. */
export class InProcessFollowUps implements SlackFollowUps {
  readonly #log: FollowUpLog;
  readonly #pending = new Set<Promise<void>>();

  constructor(log: FollowUpLog) {
    this.#log = log;
  }

  async defer(command: SlashCommand, reply: Promise<SlackMessage>): Promise<void> {
    const posted = reply
      .then((message) => postToResponseUrl(command.response_url, message))
      .then(
        () => this.#log('info', 'slack follow-up posted', { team: command.team_id, user: command.user_id }),
        (err: unknown) => this.#log('error', 'slack follow-up failed', { team: command.team_id, error: errorMessage(err) }),
      )
      .finally(() => this.#pending.delete(posted));
    this.#pending.add(posted);
  }

  /** Resolves once every follow-up under way has been posted (or has failed). */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending]);
  }
}

/** What the trigger function's inbox carries besides EventBridge events. */
export interface SlackReplyOrder {
  kind: 'slack-reply';
  command: SlashCommand;
}

/** The command goes to the trigger function's inbox, which answers it afresh and posts to the response_url. */
export class QueuedFollowUps implements SlackFollowUps {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async defer(command: SlashCommand): Promise<void> {
    const order: SlackReplyOrder = { kind: 'slack-reply', command };
    await this.#sqs.send(new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: JSON.stringify(order) }));
  }
}
