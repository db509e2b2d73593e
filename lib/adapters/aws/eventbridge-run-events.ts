import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { RunEvent } from '../../core/run/run-events.ts';
import type { RunEventSink } from '../../engine/ports/run-events.ts';

/** PutEvents takes at most 10 entries per call. */
const entriesPerCall = 10;

/**
 * Run events on an EventBridge bus, one entry per transition with `source` and `detail-type` as given (the contract's
 * constants). An entry EventBridge refuses (FailedEntryCount) is an error, so the caller logs it.
 */
export function eventBridgeRunEvents(client: EventBridgeClient, options: { busName: string; source: string; detailType: string }): RunEventSink {
  return {
    async publish(events: readonly RunEvent[]) {
      for (let start = 0; start < events.length; start += entriesPerCall) {
        const entries: PutEventsRequestEntry[] = events.slice(start, start + entriesPerCall).map((event) => ({
          EventBusName: options.busName,
          Source: options.source,
          DetailType: options.detailType,
          Detail: JSON.stringify(event),
          Time: new Date(event.at),
        }));
        const answer = await client.send(new PutEventsCommand({ Entries: entries }));
        if ((answer.FailedEntryCount ?? 0) > 0) {
          const reasons = (answer.Entries ?? []).filter((entry) => entry.ErrorCode).map((entry) => `${entry.ErrorCode}: ${entry.ErrorMessage}`);
          throw new Error(`EventBridge refused ${answer.FailedEntryCount} of ${entries.length} run events: ${reasons.join('; ')}`);
        }
      }
    },
  };
}
