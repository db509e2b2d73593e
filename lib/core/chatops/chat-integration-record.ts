import * as z from 'zod';
import { SealedSecret } from '../secret/sealed-secret.ts';

export const ChatIntegrationRecord = z.object({
  system: z.literal('slack'),
  /** Slack's signing secret, sealed; it verifies every slash command. Never shown. */
  signingSecret: SealedSecret,
  /** What chat users may read, as a viewer token limited to these namespaces would; empty means all. */
  namespaces: z.array(z.string()),
  /** Slack users who may press Approve / Stop on a suspended run, each for the namespaces listed. */
  approvers: z.array(z.object({ user: z.string().min(1), namespaces: z.array(z.string().min(1)).min(1) })).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});

export type ChatIntegrationRecord = z.infer<typeof ChatIntegrationRecord>;
