// The local runtime's view of the metrics: every count and duration the telemetry port receives is also added here, and
// `GET /metrics` renders it in the Prometheus text format. Fed by the port rather than by parsing the EMF lines back:
// the values are already structured at that point, and the local runtime's stdout stays the user's.
import { metricCatalog, type MetricName } from '../../engine/ports/telemetry.ts';

interface Series {
  labels: Readonly<Record<string, string>>;
  /** Counters: the total; durations: the sum in seconds. */
  sum: number;
  /** Durations: how many were recorded. */
  count: number;
}

export class MetricRegistry {
  readonly #series = new Map<MetricName, Map<string, Series>>();

  add(name: MetricName, labels: Readonly<Record<string, string>>, value: number): void {
    const byLabels = this.#series.get(name) ?? new Map<string, Series>();
    this.#series.set(name, byLabels);
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    const series = byLabels.get(key) ?? { labels, sum: 0, count: 0 };
    byLabels.set(key, series);
    const duration = metricCatalog[name].kind === 'duration';
    series.sum += duration ? value / 1000 : value;
    series.count += 1;
  }

  /** Prometheus text exposition format 0.0.4: counters as `_total`, durations as summaries in seconds. */
  render(): string {
    const lines: string[] = [];
    for (const name of Object.keys(metricCatalog) as MetricName[]) {
      const byLabels = this.#series.get(name);
      if (!byLabels) continue;
      const base = `flotilla_${snakeCase(name)}`;
      if (metricCatalog[name].kind === 'count') {
        lines.push(`# TYPE ${base}_total counter`);
        for (const series of byLabels.values()) lines.push(`${base}_total${labelText(series.labels)} ${series.sum}`);
      } else {
        const seconds = `${base}_seconds`;
        lines.push(`# TYPE ${seconds} summary`);
        for (const series of byLabels.values()) {
          lines.push(`${seconds}_sum${labelText(series.labels)} ${series.sum}`);
          lines.push(`${seconds}_count${labelText(series.labels)} ${series.count}`);
        }
      }
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }
}

/** `TimeToHealthy` -> `time_to_healthy`. */
export function snakeCase(name: string): string {
  return name.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}
