import * as z from 'zod';
import { dnsLabel } from '../lib/core/application/dns-name.ts';
import { triggerIdPattern } from '../lib/adapters/dynamodb/trigger-store.ts';
import { EventRule, TriggerSource } from '../lib/core/trigger/trigger-rule.ts';
import { NewTrigger } from '../integrations/triggers/triggers.ts';

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
    '`deployed`: a new revision with the image was published and its workflow queued (202). `unchanged`: the component already runs that image. `ignored`: the event does not match the trigger; `reason` says why. `duplicate`: this delivery id was processed before; nothing new happened.',
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

export { EventBridgeEvent } from '../integrations/triggers/eventbridge-event.ts';
