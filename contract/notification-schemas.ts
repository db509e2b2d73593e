import * as z from 'zod';
import { OutboundUrl } from '../lib/core/workflow/notification-step.ts';
import { redactedSecretValue } from '../lib/core/secret/secret-values.ts';

const Url = OutboundUrl.refine((url) => url !== redactedSecretValue, { error: 'expected an http or https URL' });

/** `flotilla notify set`: where an application's run events are posted. Exactly one of `slack` and `webhook`. */
export const SetNotificationTargetRequest = z.union(
  [
    z.strictObject({ slack: Url }),
    z.strictObject({
      webhook: Url,
      /** The HMAC-SHA256 key of X-Flotilla-Signature; without it posts are unsigned. */
      secret: z.string().min(16, 'expected at least 16 characters').optional(),
    }),
  ],
  { error: 'expected { slack: URL } or { webhook: URL, secret? }' },
);
export type SetNotificationTargetRequest = z.infer<typeof SetNotificationTargetRequest>;

/** The target as answers show it: the host, never the URL (a Slack webhook's path is its token) nor the key. */
export const NotificationTargetView = z.object({
  namespace: z.string(),
  application: z.string(),
  channel: z.enum(['slack', 'webhook']),
  host: z.string(),
  signed: z.boolean(),
  lastDelivery: z.object({ at: z.iso.datetime(), delivered: z.boolean(), message: z.string() }).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type NotificationTargetView = z.infer<typeof NotificationTargetView>;
