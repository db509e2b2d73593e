// The telemetry port on Powertools for AWS Lambda: log lines through its Logger (JSON, Lambda context added by the
// injectLambdaContext middleware, level from AWS_LAMBDA_LOG_LEVEL or POWERTOOLS_LOG_LEVEL), metrics through its
// Metrics in CloudWatch embedded metric format (flushed and cold starts counted by the logMetrics middleware).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LogFields, MetricName, Telemetry } from '../../engine/ports/telemetry.ts';
import { perClusterMetrics } from '../../engine/ports/telemetry.ts';
import type { MetricRegistry } from './metric-registry.ts';

/** The CloudWatch namespace when POWERTOOLS_METRICS_NAMESPACE is not set (the stack sets it to its own name). */
export const defaultMetricsNamespace = 'Flotilla';
/** Every function's metrics carry `service=flotilla`, so dashboards and alarms name one dimension set whichever emits. */
export const metricsService = 'flotilla';

export interface PowertoolsTelemetry {
  telemetry: Telemetry;
  /** For the injectLambdaContext middleware. */
  logger: Logger;
  /** For the logMetrics middleware. */
  metrics: Metrics;
}

export interface PowertoolsTelemetryOptions {
  /** The function's name, on every log line as `fn`. */
  functionName: string;
  /** Also add every metric here (the local runtime's GET /metrics). */
  registry?: MetricRegistry;
  env?: NodeJS.ProcessEnv;
}

export function createPowertoolsTelemetry(options: PowertoolsTelemetryOptions): PowertoolsTelemetry {
  const env = options.env ?? process.env;
  const logger = new Logger({ serviceName: metricsService, persistentKeys: { fn: options.functionName } });
  const metrics = new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE || defaultMetricsNamespace,
    serviceName: metricsService,
    logger: metricsWarnings(logger),
  });
  return { logger, metrics, telemetry: telemetryOn(logger, metrics, options.registry, {}) };
}

export function telemetryOn(logger: Logger, metrics: Metrics, registry: MetricRegistry | undefined, bound: LogFields): Telemetry {
  const emit = (name: MetricName, dimensions: Readonly<Record<string, string>>, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number) => {
    registry?.add(name, dimensions, value);
    // One EMF line per metric: each metric has its own dimensions, and one EMF object shares its dimensions among all
    // the metrics in it. Written at once, so a function that then times out has still reported what it did.
    const single = metrics.singleMetric();
    if (Object.keys(dimensions).length > 0) {
      // A series without the cluster too, for totals and alarms that must not depend on which clusters exist.
      if (perClusterMetrics.includes(name)) single.addDimensions({});
      single.addDimensions({ ...dimensions });
    }
    single.addMetric(name, unit, value);
  };
  return {
    log: (level, message, fields = {}) => logger[level](message, { ...bound, ...fields }),
    count: (name, dimensions, value = 1) => emit(name, dimensions, MetricUnit.Count, value),
    duration: (name, dimensions, milliseconds) => emit(name, dimensions, MetricUnit.Milliseconds, milliseconds),
    with: (fields) => telemetryOn(logger, metrics, registry, { ...bound, ...fields }),
  };
}

/**
 * Metrics' own warnings go to the Logger. logMetrics flushes at the end of every invocation, and most invocations add
 * nothing to the shared buffer (every metric is written at once, above), so its "no application metrics" notice is a
 * debug line here rather than a warning per invocation.
 */
function metricsWarnings(logger: Logger) {
  return {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.info(message),
    warn: (message: string) => (message.startsWith('No application metrics to publish') ? logger.debug(message) : logger.warn(message)),
    error: (message: string) => logger.error(message),
  };
}
