import type { RunEvent } from '../../core/run/run-events.ts';

/**
 * Where run and step transitions are published (EventBridge on AWS). Publishing is best-effort after the run's write:
 * a sink that fails is logged and never undoes or blocks the transition.
 */
export interface RunEventSink {
  publish(events: readonly RunEvent[]): Promise<void>;
}

/** For deployments that publish nowhere (the local runtime without an event bus). */
export const noRunEvents: RunEventSink = { publish: () => Promise.resolve() };
