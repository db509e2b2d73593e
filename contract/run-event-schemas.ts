import { RunEvent } from '../lib/core/run/run-events.ts';

/**
 * What Flotilla publishes to EventBridge for every run and step transition: `source` and `detail-type` are fixed, so a
 * rule can match all of them, and `detail` (RunEventDetail) says which transition (`detail.event`). docs/engine.md.
 */
export const runEventSource = 'flotilla';
export const runEventDetailType = 'Flotilla Workflow Transition';
export const RunEventDetail = RunEvent;
