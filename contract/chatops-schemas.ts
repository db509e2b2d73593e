import * as z from 'zod';
import { ChatSummary } from '../integrations/chatops/chat-summary.ts';
import { SlackSettings } from '../integrations/chatops/slack-integration.ts';

export const SlackSettingsRequest = SlackSettings;

/** The Slack integration as the API shows it: never the signing secret. */
export const SlackSettingsView = z.object({
  configured: z.boolean(),
  namespaces: z.array(z.string()).optional().meta({ description: 'What Slack users may read; empty: all namespaces.' }),
  createdAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime().optional(),
});

/** What Slack shows for a slash command: a Block Kit message (api.slack.com/reference/block-kit). */
export const SlackMessageBody = z.object({
  response_type: z.enum(['ephemeral', 'in_channel']),
  text: z.string(),
  blocks: z.array(z.record(z.string(), z.unknown())),
});

export const BotStatus = ChatSummary;
