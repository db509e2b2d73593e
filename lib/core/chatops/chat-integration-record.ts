import * as z from 'zod';
import { SealedSecret } from '../secret/sealed-secret.ts';

export const ChatIntegrationRecord = z.object({
  system: z.literal('slack'),
  /** Slack's signing secret, sealed; it verifies every slash command. Never shown. */
  signingSecret: SealedSecret,
  /** What chat users may read, as a viewer token limited to these namespaces would; empty means all. */
  namespaces: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});

export type ChatIntegrationRecord = z.infer<typeof ChatIntegrationRecord>;
