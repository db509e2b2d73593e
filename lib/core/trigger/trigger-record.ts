import * as z from 'zod';
import { EventRule, TriggerSource } from './trigger-rule.ts';
import { SealedSecret } from '../secret/sealed-secret.ts';

export const triggerIdPattern = /^[0-9a-f]{20}$/;


export const TriggerRecord = z.object({
  /** Also the last segment of the webhook URL, `/hooks/<source>/<id>`: the secret is found before the body is read. */
  id: z.string().regex(triggerIdPattern),
  namespace: z.string().min(1),
  application: z.string().min(1),
  /** The component whose `image` property a matching event sets. */
  component: z.string().min(1),
  source: TriggerSource,
  /** The image template for rules without one of their own. */
  image: z.string().optional(),
  events: z.array(EventRule).min(1),
  /** The webhook secret (GitHub, GitLab, generic), sealed; EventBridge triggers have none. Never shown. */
  secret: SealedSecret.optional(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  version: z.int().positive(),
});

export type TriggerRecord = z.infer<typeof TriggerRecord>;
