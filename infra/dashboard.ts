// The operator's dashboard: Flotilla's own metrics (EMF from the functions, docs/operations.md) next to the queues and
// functions that carry them. Metrics with a small fixed set of values are drawn per value with SEARCH; per-cluster
// series likewise, so a new cluster shows up without a redeploy.
import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, Metric, TextWidget, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { metricsService } from '../lib/adapters/telemetry/powertools-telemetry.ts';
import { metricCatalog, type MetricName } from '../lib/engine/ports/telemetry.ts';
import type { FlotillaFunction } from './flotilla-function.ts';
import type { WorkQueue } from './work-queue.ts';

const period = Duration.minutes(5);

/** One of Flotilla's metrics with exactly these dimension values (`service` added). */
export function flotillaMetric(namespace: string, name: MetricName, dimensions: Record<string, string>, statistic: string): Metric {
  return new Metric({ namespace, metricName: name, dimensionsMap: { service: metricsService, ...dimensions }, period, statistic });
}

/** Every series of a metric, one line per value of its dimensions. */
function perValue(namespace: string, name: MetricName, statistic: string, label: string): IMetric {
  const keys = ['service', ...metricCatalog[name].dimensions].join(',');
  return new MathExpression({
    expression: `SEARCH('{${namespace},${keys}} MetricName="${name}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    label,
    period,
  });
}

export interface DashboardProps {
  namespace: string;
  functions: readonly FlotillaFunction[];
  queues: Record<string, WorkQueue>;
}

export function flotillaDashboard(scope: Construct, props: DashboardProps): Dashboard {
  const { namespace } = props;
  const graph = (title: string, left: IMetric[], width = 8) => new GraphWidget({ title, left, width, height: 6 });
  const dashboard = new Dashboard(scope, 'Dashboard', { dashboardName: `${namespace}-operations`, defaultInterval: Duration.hours(3) });
  dashboard.addWidgets(
    new TextWidget({
      markdown: `## Flotilla\nMetrics in namespace \`${namespace}\` (docs/operations.md lists them). Alarms go to the alarm topic.`,
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    graph('Runs finished', [perValue(namespace, 'RunFinished', 'Sum', 'runs')], 6),
    graph('Run duration (p90, ms)', [perValue(namespace, 'RunDuration', 'p90', 'run')], 6),
    graph('Steps finished', [perValue(namespace, 'StepFinished', 'Sum', 'steps')], 6),
    graph('Step duration (p90, ms)', [perValue(namespace, 'StepDuration', 'p90', 'step')], 6),
  );
  dashboard.addWidgets(
    graph('Apply latency (ms): all clusters p50 / p90, per cluster p90', [
      flotillaMetric(namespace, 'ApplyLatency', {}, 'p50'),
      flotillaMetric(namespace, 'ApplyLatency', {}, 'p90'),
      perValue(namespace, 'ApplyLatency', 'p90', 'cluster'),
    ]),
    graph('Time to healthy (ms): all clusters p50 / p90, per cluster p90', [
      flotillaMetric(namespace, 'TimeToHealthy', {}, 'p50'),
      flotillaMetric(namespace, 'TimeToHealthy', {}, 'p90'),
      perValue(namespace, 'TimeToHealthy', 'p90', 'cluster'),
    ]),
    graph('Targets finished', [perValue(namespace, 'TargetFinished', 'Sum', 'targets')]),
  );
  dashboard.addWidgets(
    graph('Order retries, lost and given-up orders', [
      perValue(namespace, 'OrderRetries', 'Sum', 'retries'),
      flotillaMetric(namespace, 'OrdersLost', {}, 'Sum'),
      flotillaMetric(namespace, 'OrdersGivenUp', {}, 'Sum'),
    ]),
    graph('Objects removed', [perValue(namespace, 'ObjectsRemoved', 'Sum', 'objects')]),
    graph('Webhook deliveries', [perValue(namespace, 'WebhookDeliveries', 'Sum', 'deliveries')]),
  );
  dashboard.addWidgets(
    graph('API latency by route (p90, ms)', [perValue(namespace, 'ApiLatency', 'p90', 'route')], 12),
    graph('API requests by route and status', [perValue(namespace, 'ApiLatency', 'SampleCount', 'requests')], 12),
  );
  const queues = Object.values(props.queues);
  dashboard.addWidgets(
    graph('Order age: oldest message per queue (s)', queues.map((work) => work.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum', label: work.node.id }))),
    graph('Dead letters per queue', queues.map((work) => work.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: work.node.id }))),
    graph('Function errors', props.functions.map((fn) => fn.metricErrors({ period, statistic: 'Sum', label: fn.node.id }))),
  );
  return dashboard;
}
