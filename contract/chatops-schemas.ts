import * as z from 'zod';
import { AppPhase } from '../lib/core/status/application-status.ts';
import { StepPhase } from '../lib/core/run/run.ts';
import { isDnsLabel } from '../lib/core/application/dns-name.ts';

/**
 * An application's status cut to what a chat message shows: health per cluster and the workflow's steps. Slack's
 * Block Kit reply and the plain-text/JSON answer for other bots are both made from it.
 */
export const ChatSummary = z.object({
  application: z.string(),
  namespace: z.string(),
  phase: AppPhase,
  revision: z.string().optional().meta({ description: 'The revision the clusters run (the live workflow run\'s).' }),
  clusters: z.array(
    z.object({
      cluster: z.string(),
      healthy: z.boolean().meta({ description: 'Every component in the cluster is healthy.' }),
      components: z.array(z.object({ name: z.string(), namespace: z.string(), healthy: z.boolean(), message: z.string() })),
      usd: z.number().optional().meta({ description: "The estimated cost of the latest run's orders in this cluster, in USD." }),
    }),
  ),
  cost: z
    .object({
      usd: z.number(),
      dynamodbRequests: z.number(),
      sqsRequests: z.number(),
      lambdaGbSeconds: z.number(),
      prices: z.string().meta({ description: 'Which prices: region and date.' }),
    })
    .optional()
    .meta({ description: 'What the latest run cost in AWS requests, Lambda GB-seconds and (estimated) USD.' }),
  workflow: z
    .object({
      mode: z.string(),
      finished: z.boolean(),
      suspended: z.boolean(),
      terminated: z.boolean(),
      message: z.string().optional(),
      steps: z.array(z.object({ name: z.string(), type: z.string(), phase: StepPhase, message: z.string() })),
    })
    .optional(),
});

export type ChatSummary = z.infer<typeof ChatSummary>;

export const SlackSettings = z.strictObject({
  signingSecret: z
    .string()
    .regex(/^[A-Za-z0-9]{16,128}$/, { error: "must be the Slack app's signing secret (Basic Information, App Credentials): letters and digits" })
    .meta({ description: "The Slack app's signing secret; stored sealed, never shown again." }),
  namespaces: z
    .array(z.string().refine(isDnsLabel, { error: 'must be a namespace name (DNS-1123 label)' }))
    .default([])
    .meta({ description: 'What Slack users may read, as a viewer token limited to these namespaces; empty or absent: all.' }),
  approvers: z
    .array(
      z.strictObject({
        user: z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be a Slack user id (U… or W…)' }),
        namespaces: z.array(z.string().refine(isDnsLabel, { error: 'must be a namespace name (DNS-1123 label)' })).min(1),
      }),
    )
    .default([])
    .meta({ description: "Slack users who may press Approve / Stop on a suspended run's message (resume or terminate it), each for these namespaces only." }),
});

export type SlackSettings = z.output<typeof SlackSettings>;

export const SlackSettingsRequest = SlackSettings;

/** The Slack integration as the API shows it: never the signing secret. */
export const SlackSettingsView = z.object({
  configured: z.boolean(),
  namespaces: z.array(z.string()).optional().meta({ description: 'What Slack users may read; empty: all namespaces.' }),
  approvers: z.array(z.object({ user: z.string(), namespaces: z.array(z.string()) })).optional(),
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

/** What Slack shows the user who pressed Approve or Stop. */
export const SlackInteractionAnswer = z.object({
  response_type: z.literal('ephemeral'),
  replace_original: z.boolean(),
  text: z.string(),
});
