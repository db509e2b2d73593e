// A real deploy on `npm start` with two real member clusters, and what it reported: GET /metrics (Prometheus text from
// the in-process registry) and the EMF and log lines on stdout, with the names and dimensions docs/operations.md lists.
import { KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { connectCluster } from '../../lib/adapters/kubernetes/cluster-client.ts';
import { metricCatalog, type MetricName } from '../../lib/engine/ports/telemetry.ts';
import { snakeCase } from '../../lib/adapters/telemetry/metric-registry.ts';
import { seedDocument } from '../integration/engine/engine-harness.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';

const namespace = `observe-${Date.now().toString(36)}`;
const clusters = ['beijing-1', 'beijing-2'];
let plane: ControlPlane;
const kubeconfigs: Record<string, string> = {};

function cluster(name: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')[name]!);
  return connectCluster(kc, { policy: localEndpointPolicy });
}

async function metricsText(): Promise<string> {
  const response = await fetch(`${plane.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  return response.text();
}

/** `name{a="x",b="y"} 3` -> the samples, by metric line name. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

const value = (text: string, name: string, labels: Record<string, string>) =>
  samples(text).find((sample) => sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === JSON.stringify(Object.entries(labels).sort()))?.value;

async function waitFinished(revision: string): Promise<any> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const status = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/status`);
    if (status.body?.workflow?.revision === revision && status.body.workflow.finished) return status.body;
    if (Date.now() > deadline) throw new Error(`workflow did not finish: ${status.text}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

beforeAll(async () => {
  plane = await startControlPlane({
    captureStdout: true,
    env: { DEFAULT_STEP_TIMEOUT_SECONDS: '120', POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_METRICS_NAMESPACE: 'Flotilla-e2e' },
  });
  for (const name of clusters) {
    kubeconfigs[name] = await readFile(inject('clusterKubeconfigs')[name]!, 'utf8');
    const joined = await call(plane, 'POST', '/clusters', { name, kubeconfig: kubeconfigs[name] });
    expect(joined.status, joined.text).toBe(201);
  }
});
afterAll(async () => {
  await plane?.stop();
  for (const name of clusters) await cluster(name).delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
});

describe('observability of a deploy on npm start', () => {
  it('reports the run, its step, each target and cluster, the API routes, and the removal at deletion', async () => {
    expect(await metricsText()).not.toContain('flotilla_run_finished_total');
    const submitted = await call(plane, 'POST', '/applications', stringify(await seedDocument('basic', namespace)));
    expect(submitted.status, submitted.text).toBe(202);
    const status = await waitFinished(submitted.body.revision);
    expect(status.workflow.steps.map((s: any) => [s.name, s.phase])).toEqual([['deploy-beijing-clusters', 'succeeded']]);

    // The planner closes the run after the last target: poll until the run's metrics are in.
    let text = await metricsText();
    for (let tries = 0; value(text, 'flotilla_run_finished_total', { outcome: 'succeeded' }) === undefined && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      text = await metricsText();
    }
    expect(value(text, 'flotilla_run_finished_total', { outcome: 'succeeded' })).toBe(1);
    expect(value(text, 'flotilla_run_duration_seconds_count', { outcome: 'succeeded' })).toBe(1);
    expect(value(text, 'flotilla_run_duration_seconds_sum', { outcome: 'succeeded' })).toBeGreaterThan(0);
    expect(value(text, 'flotilla_step_finished_total', { stepType: 'deploy', outcome: 'succeeded' })).toBe(1);
    expect(value(text, 'flotilla_step_duration_seconds_count', { stepType: 'deploy', outcome: 'succeeded' })).toBe(1);
    expect(value(text, 'flotilla_target_finished_total', { outcome: 'succeeded' })).toBe(2);
    for (const name of clusters) {
      expect(value(text, 'flotilla_apply_latency_seconds_count', { cluster: name }), name).toBeGreaterThanOrEqual(1);
      expect(value(text, 'flotilla_time_to_healthy_seconds_count', { cluster: name }), name).toBe(1);
    }
    expect(value(text, 'flotilla_api_latency_seconds_count', { route: 'joinCluster', status: '2xx' })).toBe(2);
    expect(value(text, 'flotilla_api_latency_seconds_count', { route: 'submitApplication', status: '2xx' })).toBe(1);
    expect(value(text, 'flotilla_api_latency_seconds_count', { route: 'getApplicationStatus', status: '2xx' })).toBeGreaterThanOrEqual(1);
    // Nothing failed, retried, got lost or was removed.
    for (const absent of ['flotilla_order_retries_total', 'flotilla_orders_lost_total', 'flotilla_orders_given_up_total', 'flotilla_objects_removed_total']) {
      expect(text).not.toContain(absent);
    }

    const deleted = await call(plane, 'DELETE', `/namespaces/${namespace}/applications/example-app`);
    expect(deleted.status, deleted.text).toBeLessThan(300);
    // Per cluster: the Deployment, Service and Ingress of the webservice with its gateway; the clusters remove theirs
    // side by side, so wait for both.
    const deadline = Date.now() + 60_000;
    while ((value(await metricsText(), 'flotilla_objects_removed_total', { reason: 'deletion' }) ?? 0) < 2 * 3) {
      if (Date.now() > deadline) throw new Error(`not every removal reported:\n${await metricsText()}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    text = await metricsText();
    expect(value(text, 'flotilla_objects_removed_total', { reason: 'deletion' })).toBe(2 * 3);
    expect(text).not.toContain('reason="garbage"');

    // Every series carries exactly the dimensions the catalog names for its metric: no run ids, no names from paths.
    const byLineName = new Map<string, MetricName>();
    for (const name of Object.keys(metricCatalog) as MetricName[]) {
      const base = `flotilla_${snakeCase(name)}`;
      for (const suffix of ['_total', '_seconds_sum', '_seconds_count']) byLineName.set(`${base}${suffix}`, name);
    }
    for (const sample of samples(text)) {
      const metric = byLineName.get(sample.name);
      expect(metric, sample.name).toBeDefined();
      expect(Object.keys(sample.labels).sort(), sample.name).toEqual([...metricCatalog[metric!].dimensions].sort());
    }
  });

  it('wrote the same metrics as EMF, and log lines that carry the run, its revision, step and cluster and the request id, without secrets', () => {
    const lines = plane
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
    const emf = lines.filter((line) => '_aws' in line);
    const definitions = emf.map((line) => ({
      namespace: line._aws.CloudWatchMetrics[0].Namespace as string,
      name: line._aws.CloudWatchMetrics[0].Metrics[0].Name as string,
      dimensions: line._aws.CloudWatchMetrics[0].Dimensions as string[][],
    }));
    const named = (name: string) => definitions.filter((definition) => definition.name === name);
    expect(named('RunFinished')).toEqual([{ namespace: 'Flotilla-e2e', name: 'RunFinished', dimensions: [['service', 'outcome']] }]);
    expect(named('TimeToHealthy')).toHaveLength(2);
    for (const found of named('TimeToHealthy')) expect(found.dimensions).toEqual([['service'], ['service', 'cluster']]);
    expect(emf.filter((line) => 'TimeToHealthy' in line).map((line) => line.cluster).sort()).toEqual(clusters);
    expect(named('ApiLatency').every((found) => JSON.stringify(found.dimensions) === JSON.stringify([['service', 'route', 'status']]))).toBe(true);

    const logs = lines.filter((line) => !('_aws' in line));
    const targetLines = logs.filter((line) => line.message === 'target succeeded');
    expect(targetLines.map((line) => line.cluster).sort()).toEqual(clusters);
    for (const line of targetLines) {
      expect(line).toMatchObject({
        level: 'INFO',
        fn: 'applier',
        runId: expect.any(String),
        namespace,
        application: 'example-app',
        revision: 'example-app-v1',
        step: 'deploy-beijing-clusters',
        function_request_id: expect.any(String),
      });
    }
    expect(logs.find((line) => line.message === 'run succeeded')).toMatchObject({ fn: 'planner', application: 'example-app', revision: 'example-app-v1' });
    expect(logs.find((line) => line.message === 'request' && line.route === 'submitApplication')).toMatchObject({ fn: 'api', status: 202 });

    const everything = plane.stdout() + plane.output();
    expect(everything).not.toContain(plane.token);
    for (const name of clusters) {
      const kubeconfig = new KubeConfig();
      kubeconfig.loadFromString(kubeconfigs[name]!);
      const user = kubeconfig.getCurrentUser();
      for (const secret of [user?.keyData, user?.certData, user?.token].filter((s): s is string => typeof s === 'string' && s.length > 20)) {
        expect(everything.includes(secret.slice(0, 40)), `${name} credential in the output`).toBe(false);
      }
    }
  });
});
