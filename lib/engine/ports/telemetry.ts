import type { RunRecord, StepState } from '../../core/run/run.ts';

/**
 * Logs and metrics, behind one port so the engine and the faces say what happened and the adapter decides how it is
 * written (Powertools Logger and CloudWatch embedded metric format on AWS, plus an in-process registry locally).
 *
 * Every metric is named here once, with its kind and the only dimensions it may carry: all of them take a small, fixed
 * set of values, except `cluster`, which takes one value per registered cluster (an admin joins each one, so the count
 * is bounded by the fleet, not by traffic). docs/operations.md lists them.
 */
export const metricCatalog = {
  /** A workflow run closed; outcome: succeeded, failed or terminated. */
  RunFinished: { kind: 'count', dimensions: ['outcome'] },
  /** From the run's creation to its close. */
  RunDuration: { kind: 'duration', dimensions: ['outcome'] },
  /** A step closed; stepType: the workflow step type (deploy, suspend), outcome: succeeded, failed or skipped. */
  StepFinished: { kind: 'count', dimensions: ['stepType', 'outcome'] },
  /** From the step's start to its close (steps skipped before they started have none). */
  StepDuration: { kind: 'duration', dimensions: ['stepType', 'outcome'] },
  /** One deploy target (cluster, namespace) finished; outcome: succeeded or failed. */
  TargetFinished: { kind: 'count', dimensions: ['outcome'] },
  /** Server-side apply of one target's objects, per cluster. */
  ApplyLatency: { kind: 'duration', dimensions: ['cluster'] },
  /** From the planner's order for a target to the applier seeing it healthy, per cluster. */
  TimeToHealthy: { kind: 'duration', dimensions: ['cluster'] },
  /** An order met a retryable cluster error and goes back to its queue with backoff; work: apply or remove. */
  OrderRetries: { kind: 'count', dimensions: ['work'] },
  /** An order had no news for orderLostAfterSeconds and the sweep sent it again. */
  OrdersLost: { kind: 'count', dimensions: [] },
  /** An order reached its queue's last receive: the target fails instead of the order dead-lettering silently. */
  OrdersGivenUp: { kind: 'count', dimensions: [] },
  /** Objects deleted from member clusters by remove orders; reason: garbage (collection after a run) or deletion. */
  ObjectsRemoved: { kind: 'count', dimensions: ['reason'] },
  /** A webhook request; source: github, gitlab, generic; outcome: deployed, unchanged, duplicate, ignored, refused... */
  WebhookDeliveries: { kind: 'count', dimensions: ['source', 'outcome'] },
  /** One API request, by route (its operationId; `unmatched` for no route) and status class (2xx, 4xx, 5xx). */
  ApiLatency: { kind: 'duration', dimensions: ['route', 'status'] },
} as const satisfies Record<string, { kind: 'count' | 'duration'; dimensions: readonly string[] }>;

export type MetricName = keyof typeof metricCatalog;
export type CounterName = { [N in MetricName]: (typeof metricCatalog)[N]['kind'] extends 'count' ? N : never }[MetricName];
export type DurationName = { [N in MetricName]: (typeof metricCatalog)[N]['kind'] extends 'duration' ? N : never }[MetricName];
/** Exactly the dimensions the catalog names for the metric, each a string. */
export type DimensionsOf<N extends MetricName> = { [D in (typeof metricCatalog)[N]['dimensions'][number]]: string };

/** Metrics whose per-value series also get a series without that dimension, so alarms and totals need no search. */
export const perClusterMetrics: readonly MetricName[] = ['ApplyLatency', 'TimeToHealthy'];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Structured fields of a log line. Never secrets: no tokens, kubeconfigs, webhook secrets or request bodies. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Telemetry {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  /** Adds `value` (default 1) to a counter. */
  count<N extends CounterName>(name: N, dimensions: DimensionsOf<N>, value?: number): void;
  /** Records one duration in milliseconds. */
  duration<N extends DurationName>(name: N, dimensions: DimensionsOf<N>, milliseconds: number): void;
  /** The same telemetry with these fields on every log line it writes (runId, application, cluster...). */
  with(fields: LogFields): Telemetry;
}

/** Milliseconds between two ISO timestamps (the records' own clock), never negative. */
export function millisecondsBetween(from: string, to: string): number {
  return Math.max(0, Date.parse(to) - Date.parse(from));
}

/** What every log line about a run carries, so one run's lines can be found across functions. */
export function runLogFields(run: RunRecord, step?: StepState): LogFields {
  return {
    runId: run.runId,
    namespace: run.namespace,
    application: run.application,
    revision: run.revisionName,
    ...(step === undefined ? {} : { step: step.name, stepId: step.id }),
  };
}
