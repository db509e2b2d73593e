// What a planner or applier message says about where it belongs, for its log lines: never payloads (objects, secrets).
import type { LogFields } from '../../lib/engine/ports/telemetry.ts';

const correlating = ['kind', 'runId', 'stepId', 'namespace', 'name', 'application', 'revision', 'cluster'] as const;

export function messageLogFields<M extends object>(message: M): LogFields {
  const fields: Record<string, unknown> = {};
  for (const key of correlating) {
    const value = (message as Record<string, unknown>)[key];
    // Planner messages name the application `name`; the log field is `application` wherever it comes from.
    if (typeof value === 'string' || typeof value === 'number') fields[key === 'name' ? 'application' : key] = value;
  }
  return fields;
}
