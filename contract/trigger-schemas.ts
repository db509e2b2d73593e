import * as z from 'zod';
import { dnsLabel } from '../lib/core/application/dns-name.ts';
import { triggerIdPattern } from '../lib/core/trigger/trigger-record.ts';
import { EventRule, TriggerSource } from '../lib/core/trigger/trigger-rule.ts';
import { ImageTemplate } from '../lib/core/trigger/trigger-rule.ts';
import { deliveryIdPattern } from '../lib/core/trigger/delivery-record.ts';

/** A trigger as its creator describes it; the application it belongs to comes from the URL. */
export const NewTrigger = z.strictObject({
  source: TriggerSource.meta({ description: 'github, gitlab or generic (a webhook), or eventbridge (ECR, CodePipeline, CodeBuild events).' }),
  component: dnsLabel('component name').meta({ description: 'The component whose image property a matching event sets.' }),
  image: ImageTemplate.optional(),
  events: z.array(EventRule).min(1).max(20).meta({ description: 'The events that deploy; the first rule of an event\'s kind whose filters pass decides.' }),
  secret: z
    .string()
    .min(16, { error: 'must be at least 16 characters long: generate one with openssl rand -hex 32' })
    .max(256)
    .optional()
    .meta({ description: "The webhook's secret (GitHub's secret, GitLab's secret token, the generic HMAC key); required for webhooks. Stored sealed, never shown again." }),
  description: z.string().max(200).default(''),
});

export type NewTrigger = z.output<typeof NewTrigger>;

/** Every EventBridge event: the envelope, with `detail` read per type below. */
export const EventBridgeEvent = z.looseObject({
  version: z.string(),
  id: z.string().regex(deliveryIdPattern),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string().min(1),
  time: z.string(),
  region: z.string().min(1),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
});

export type EventBridgeEvent = z.infer<typeof EventBridgeEvent>;

export const CreateTriggerRequest = NewTrigger;

const triggerId = z
  .string()
  .regex(triggerIdPattern, { error: 'must be a trigger id: 20 hexadecimal digits, as the trigger listing shows them' })
  .meta({ description: 'The trigger id.' });

export const TriggerPath = z.strictObject({
  namespace: dnsLabel('namespace').meta({ description: "The application's namespace." }),
  name: dnsLabel('application name').meta({ description: 'The application name.' }),
  id: triggerId,
});

export const HookPath = z.strictObject({ triggerId });

export const ListTriggersQuery = z.strictObject({
  namespace: dnsLabel('namespace')
    .optional()
    .meta({ description: 'Only this namespace. Without it: every namespace the token may read.' }),
});

/** A trigger as the API shows it: never its secret. */
export const TriggerView = z.object({
  id: z.string(),
  namespace: z.string(),
  application: z.string(),
  component: z.string(),
  source: TriggerSource,
  image: z.string().optional(),
  events: z.array(EventRule),
  description: z.string(),
  createdAt: z.iso.datetime(),
  webhookUrl: z.url().optional().meta({ description: 'Where the provider posts its webhook; absent for EventBridge triggers.' }),
});

export const TriggerList = z.object({ triggers: z.array(TriggerView) });

const outcome = z.enum(['deployed', 'unchanged', 'ignored', 'duplicate']).meta({
  description:
    '`deployed`: a new revision with the image was published and its workflow queued (202). `unchanged`: the component already runs that image. `ignored`: the event does not match the trigger; `reason` says why. `duplicate`: this delivery id (for GitHub also this signed body, under any delivery id) was processed before; nothing new happened.',
});

/** What a webhook delivery did. */
export const DeliveryResult = z.object({
  outcome,
  trigger: z.string(),
  delivery: z.string().optional().meta({ description: "The provider's delivery id, when the event was read." }),
  reason: z.string().optional(),
  namespace: z.string(),
  application: z.string(),
  revision: z.string().optional().meta({ description: 'The revision with the image, `<name>-v<N>`.' }),
  revisionNumber: z.int().optional(),
  image: z.string().optional(),
  status: z.url().optional().meta({ description: "The application's status URL." }),
});

/** What an EventBridge event did, trigger by trigger. */
export const EventBridgeResult = z.object({
  event: z.string(),
  ignored: z.string().optional().meta({ description: 'Why the event deploys nothing at all (not a successful push or build).' }),
  results: z.array(
    z.object({
      trigger: z.string(),
      namespace: z.string(),
      application: z.string(),
      outcome: z.enum(['deployed', 'unchanged', 'ignored', 'duplicate', 'failed']),
      reason: z.string().optional(),
      revision: z.string().optional(),
      revisionNumber: z.int().optional(),
      image: z.string().optional(),
    }),
  ),
});
