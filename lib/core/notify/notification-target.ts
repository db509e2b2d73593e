import * as z from 'zod';
import { SealedSecret } from '../secret/sealed-secret.ts';

/**
 * Where an application's run events are posted (`flotilla notify set`): a Slack incoming webhook or a generic webhook
 * signed with HMAC-SHA256. The URL (a Slack webhook's path is its token) and the key are sealed; answers show the host.
 */
export const NotificationTargetRecord = z.object({
  namespace: z.string().min(1),
  application: z.string().min(1),
  channel: z.enum(['slack', 'webhook']),
  /** The URL's host, which answers may show. */
  host: z.string().min(1),
  url: SealedSecret,
  secret: SealedSecret.optional(),
  /** The outcome of the latest post, written by the applier. */
  lastDelivery: z.object({ at: z.iso.datetime(), delivered: z.boolean(), message: z.string() }).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});
export type NotificationTargetRecord = z.infer<typeof NotificationTargetRecord>;

/** Bound to the application: a sealed URL copied onto another application's target cannot be opened there. */
export function notificationTargetContext(purpose: string, namespace: string, application: string): Record<string, string> {
  return { purpose, namespace, application, use: 'notification-target' };
}
