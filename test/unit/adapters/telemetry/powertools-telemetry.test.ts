// What the telemetry adapter writes: EMF lines CloudWatch turns into metrics (one per metric, with exactly the catalog's
// dimensions), JSON log lines with the bound fields and the Lambda context, at the level the standard setting names;
// and the Prometheus text the local runtime serves.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MetricRegistry, snakeCase } from '../../../../lib/adapters/telemetry/metric-registry.ts';
import { createPowertoolsTelemetry } from '../../../../lib/adapters/telemetry/powertools-telemetry.ts';

let written: string[];

beforeEach(() => {
  written = [];
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', '');
  vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', '');
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(chunk.toString());
      return true;
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const lines = () => written.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, any>);
const emf = () => lines().filter((line) => '_aws' in line);
const logs = () => lines().filter((line) => !('_aws' in line));

describe('metrics as CloudWatch EMF', () => {
  it('writes one EMF object per metric, with service and the dimensions the catalog names', () => {
    const { telemetry } = createPowertoolsTelemetry({ functionName: 'planner' });
    telemetry.count('RunFinished', { outcome: 'failed' });
    telemetry.duration('StepDuration', { stepType: 'deploy', outcome: 'succeeded' }, 1234);
    telemetry.count('OrdersLost', {}, 3);
    const [run, step, lost] = emf();
    expect(run).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Flotilla', Dimensions: [['service', 'outcome']], Metrics: [{ Name: 'RunFinished', Unit: 'Count' }] }] },
      service: 'flotilla',
      outcome: 'failed',
      RunFinished: 1,
    });
    expect(step).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Dimensions: [['service', 'stepType', 'outcome']], Metrics: [{ Name: 'StepDuration', Unit: 'Milliseconds' }] }] },
      stepType: 'deploy',
      StepDuration: 1234,
    });
    expect(lost).toMatchObject({ _aws: { CloudWatchMetrics: [{ Dimensions: [['service']], Metrics: [{ Name: 'OrdersLost' }] }] }, OrdersLost: 3 });
    expect(emf()).toHaveLength(3);
  });

  it('gives per-cluster metrics a series without the cluster too, and uses POWERTOOLS_METRICS_NAMESPACE', () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Flotilla-staging');
    const { telemetry } = createPowertoolsTelemetry({ functionName: 'applier' });
    telemetry.duration('TimeToHealthy', { cluster: 'beijing-1' }, 5000);
    expect(emf()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [{ Namespace: 'Flotilla-staging', Dimensions: [['service'], ['service', 'cluster']], Metrics: [{ Name: 'TimeToHealthy', Unit: 'Milliseconds' }] }],
        },
        service: 'flotilla',
        cluster: 'beijing-1',
        TimeToHealthy: 5000,
      },
    ]);
  });

  it('logMetrics adds a ColdStart metric once and no warning for an invocation that flushed nothing', async () => {
    // What Lambda sets for an on-demand execution environment; Powertools counts cold starts only there.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { metrics, logger } = createPowertoolsTelemetry({ functionName: 'refresh' });
    const handler = middy(async () => 'done')
      .use(injectLambdaContext(logger))
      .use(logMetrics(metrics, { captureColdStartMetric: true }));
    await handler({}, lambdaContext('req-1'));
    await handler({}, lambdaContext('req-2'));
    expect(emf().map((line) => line._aws.CloudWatchMetrics[0].Metrics[0].Name)).toEqual(['ColdStart']);
    expect(logs()).toEqual([]);
  });
});

describe('logs through the Powertools Logger', () => {
  it('writes JSON with the function, the bound run fields and the caller fields, and the Lambda request id', async () => {
    const { telemetry, logger } = createPowertoolsTelemetry({ functionName: 'applier' });
    const run = telemetry.with({ runId: 'r-1', application: 'example-app', revision: 'example-app-v2', step: 'deploy-beijing' });
    const handler = middy(async () => run.log('info', 'target succeeded', { cluster: 'beijing-1' })).use(injectLambdaContext(logger, { resetKeys: true }));
    await handler({}, lambdaContext('req-42'));
    expect(logs()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'target succeeded',
        service: 'flotilla',
        fn: 'applier',
        runId: 'r-1',
        application: 'example-app',
        revision: 'example-app-v2',
        step: 'deploy-beijing',
        cluster: 'beijing-1',
        function_request_id: 'req-42',
        function_name: 'flotilla-applier',
        cold_start: expect.any(Boolean),
        timestamp: expect.any(String),
      }),
    ]);
  });

  it('takes its level from POWERTOOLS_LOG_LEVEL, and AWS_LAMBDA_LOG_LEVEL (Lambda log controls) over it', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    const quiet = createPowertoolsTelemetry({ functionName: 'api' }).telemetry;
    quiet.log('info', 'not written');
    quiet.log('debug', 'not written either');
    quiet.log('warn', 'written');
    expect(logs().map((line) => [line.level, line.message])).toEqual([['WARN', 'written']]);

    written.length = 0;
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'ERROR');
    const controlled = createPowertoolsTelemetry({ functionName: 'api' }).telemetry;
    controlled.log('warn', 'below the Lambda level');
    controlled.log('error', 'failed');
    expect(logs().map((line) => [line.level, line.message])).toEqual([['ERROR', 'failed']]);
  });

  it('later fields win over bound ones; nested with() keeps both', () => {
    const { telemetry } = createPowertoolsTelemetry({ functionName: 'planner' });
    telemetry.with({ runId: 'r-1' }).with({ step: 'a' }).log('info', 'moved', { step: 'b' });
    expect(logs()[0]).toMatchObject({ runId: 'r-1', step: 'b' });
  });
});

describe('the in-process registry (GET /metrics locally)', () => {
  it('is fed by the same port calls and renders Prometheus text: counters as _total, durations as summaries in seconds', () => {
    const registry = new MetricRegistry();
    const { telemetry } = createPowertoolsTelemetry({ functionName: 'applier', registry });
    telemetry.count('TargetFinished', { outcome: 'succeeded' });
    telemetry.count('TargetFinished', { outcome: 'succeeded' });
    telemetry.count('TargetFinished', { outcome: 'failed' });
    telemetry.duration('ApplyLatency', { cluster: 'us-west-1' }, 250);
    telemetry.duration('ApplyLatency', { cluster: 'us-west-1' }, 750);
    telemetry.count('OrdersGivenUp', {});
    expect(registry.render()).toBe(
      [
        '# TYPE flotilla_target_finished_total counter',
        'flotilla_target_finished_total{outcome="succeeded"} 2',
        'flotilla_target_finished_total{outcome="failed"} 1',
        '# TYPE flotilla_apply_latency_seconds summary',
        'flotilla_apply_latency_seconds_sum{cluster="us-west-1"} 1',
        'flotilla_apply_latency_seconds_count{cluster="us-west-1"} 2',
        '# TYPE flotilla_orders_given_up_total counter',
        'flotilla_orders_given_up_total 1',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and names metrics in snake case', () => {
    const registry = new MetricRegistry();
    registry.add('WebhookDeliveries', { source: 'generic', outcome: 'say "hi"\\\n' }, 1);
    expect(registry.render()).toContain('flotilla_webhook_deliveries_total{outcome="say \\"hi\\"\\\\\\n",source="generic"} 1');
    expect(snakeCase('TimeToHealthy')).toBe('time_to_healthy');
    expect(new MetricRegistry().render()).toBe('');
  });
});

function lambdaContext(requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'flotilla-applier',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:flotilla-applier',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/flotilla-applier',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
