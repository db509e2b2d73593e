import type { TriggerRecord } from '../../lib/core/trigger/trigger-record.ts';
import { TriggerTargetError, type DeployDependencies } from './deploy-image.ts';
import { readEventBridgeEvent } from './eventbridge-event.ts';
import { handleDelivery, type DeliveryOutcome } from './handle-delivery.ts';
import { listTriggers } from './triggers.ts';

export interface RoutedEvent {
  /** The EventBridge event id. */
  event: string;
  /** Why no trigger was asked, when the event itself deploys nothing. */
  ignored?: string;
  /** One entry per EventBridge trigger looked at. */
  results: ({ trigger: string; namespace: string; application: string } & (DeliveryOutcome | { outcome: 'failed'; reason: string }))[];
}

/**
 * An EventBridge event against every EventBridge trigger (the event names no trigger: it is the account's), each
 * handled as a delivery of its own, so that one event deploys every application waiting for it, once each.
 * `visible` narrows the triggers, e.g. to the namespaces of the caller who posted the event.
 */
export async function routeEventBridgeEvent(
  deps: DeployDependencies,
  input: unknown,
  visible: (trigger: TriggerRecord) => boolean = () => true,
): Promise<RoutedEvent> {
  const read = readEventBridgeEvent(input);
  const id = typeof input === 'object' && input !== null && 'id' in input ? String(input.id) : '';
  if (read.kind === 'ignored') return { event: id, ignored: read.reason, results: [] };
  const triggers = (await listTriggers(deps.store)).filter((trigger) => trigger.source === 'eventbridge' && visible(trigger));
  const results: RoutedEvent['results'] = [];
  const errors: unknown[] = [];
  // One after another: two triggers of one application would otherwise race for its next revision. A trigger whose
  // application is gone fails alone; any other error is thrown once the rest had their turn, so a retry of the event
  // finds the deliveries that went through already done.
  for (const trigger of triggers) {
    const where = { trigger: trigger.id, namespace: trigger.namespace, application: trigger.application };
    try {
      results.push({ ...where, ...(await handleDelivery(deps, trigger, read.event)) });
    } catch (err) {
      if (err instanceof TriggerTargetError) results.push({ ...where, outcome: 'failed', reason: err.message });
      else errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return { event: read.event.deliveryId, results };
}
