import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../../../lib/core/status/build-status.ts';
import { TargetHealthDetail } from '../../../../lib/core/run/health-detail.ts';
import type { RunPhase } from '../../../../lib/core/run/run.ts';
import { basicUsage, seedScreens } from './seed-screens.ts';
import { ApplicationStatus } from '../../../../lib/core/status/application-status.ts';
import { estimateCost } from '../../../../lib/core/cost/estimate-cost.ts';
import { publishedPrices } from '../../../../lib/core/cost/prices.ts';
import { application, checkedAt, health, helloWorld, run, step, target } from './status-records.ts';

const placeOf = (service: { name: string; cluster: string; namespace: string }) => `${service.name}@${service.cluster}/${service.namespace}`;

describe('buildStatus workflow', () => {
  it.each<[RunPhase, { finished: boolean; suspend: boolean; terminated: boolean }]>([
    ['running', { finished: false, suspend: false, terminated: false }],
    ['suspended', { finished: false, suspend: true, terminated: false }],
    ['succeeded', { finished: true, suspend: false, terminated: false }],
    ['failed', { finished: true, suspend: false, terminated: false }],
    ['terminated', { finished: true, suspend: false, terminated: true }],
  ])('reports a %s run as %o', (phase, flags) => {
    const status = buildStatus({ application: application(), run: run([], { phase }), targets: [] });
    expect(status.workflow).toEqual({ revision: 'example-app-v1', mode: 'DAG', ...flags, steps: [] });
  });

  it('lists only the steps that started, with their messages, and the run message', () => {
    const status = buildStatus(seedScreens.suspended);
    expect(status.workflow?.steps).toEqual([
      { id: 'syjepschi5', name: 'deploy-beijing', type: 'deploy', phase: 'succeeded', message: '' },
      { id: 'fov5fs8m9w', name: 'approve-aws', type: 'suspend', phase: 'suspending', message: 'Waiting approval to the deploy step "deploy-aws"' },
    ]);
    const terminated = buildStatus({ application: application(), run: run([], { phase: 'terminated', message: 'terminated by alice' }), targets: [] });
    expect(terminated.workflow?.message).toBe('terminated by alice');
  });

  it('gives a failed step the messages of its failed targets, naming the cluster when the message does not', () => {
    const status = buildStatus({
      application: application(),
      run: run(
        [
          step('aaaaaaaaaa', 'deploy-beijing', 'failed', { message: '2 of 3 targets failed' }),
          step('bbbbbbbbbb', 'deploy-aws', 'running'),
        ],
        { phase: 'failed' },
      ),
      targets: [
        target('aaaaaaaaaa', 'beijing-2', { phase: 'failed', message: 'the API server answered 503' }),
        target('aaaaaaaaaa', 'beijing-1', { phase: 'failed', message: 'namespaces "shop" not found in beijing-1' }),
        target('aaaaaaaaaa', 'beijing-3', { detail: health([helloWorld('10.0.0.3')]) }),
        target('aaaaaaaaaa', 'beijing-4', { phase: 'failed' }),
        // Only failed steps gather target messages: this one may still retry.
        target('bbbbbbbbbb', 'us-west-1', { phase: 'failed', message: 'connection refused' }),
      ],
    });
    expect(status.workflow?.steps.map((state) => state.message)).toEqual([
      '2 of 3 targets failed; namespaces "shop" not found in beijing-1; beijing-2/default: the API server answered 503; beijing-4/default: failed',
      '',
    ]);
  });

  it('shows what a running step waits for, and the cluster that never answered among the services', () => {
    const payload = { where: 'inline' as const, resources: [], components: [{ name: 'hello-world-server', type: 'webservice', traits: ['scaler'], dependsOn: [] }] };
    const retrying = 'retrying: cluster us-west-1, namespace default: connect ECONNREFUSED 127.0.0.1:6443';
    const status = buildStatus({
      application: application(),
      run: run([step('bbbbbbbbbb', 'deploy-aws', 'running')]),
      targets: [
        target('bbbbbbbbbb', 'beijing-1', { phase: 'succeeded', detail: health([helloWorld('10.0.0.1')]) }),
        target('bbbbbbbbbb', 'us-west-1', { phase: 'applying', message: retrying, payload }),
        // Just started, no news yet: nothing to say about it.
        target('bbbbbbbbbb', 'us-west-2', { phase: 'pending', payload }),
      ],
    });
    expect(status.workflow?.steps.map((state) => state.message)).toEqual([retrying]);
    expect(status.services.map((service) => [service.cluster, service.healthy, service.message])).toEqual([
      ['beijing-1', true, 'Ready:3/3'],
      ['us-west-1', false, retrying],
    ]);
  });

  it('does not repeat a target message the step message already holds', () => {
    const message = 'failed to apply component hello-world-server to beijing-1/multi-cluster: namespaces "multi-cluster" not found';
    const input = seedScreens.namespaceFailed;
    const status = buildStatus({ ...input, run: { ...input.run, steps: [step('9fierfkhsc', 'deploy-beijing-clusters', 'failed', { message })] } });
    expect(status.workflow?.steps[0]?.message).toBe(message);
  });
});

describe('buildStatus services', () => {
  it('lists one service per component, cluster and namespace, in step order then cluster order', () => {
    const status = buildStatus(seedScreens.advanced);
    expect(status.services.map(placeOf)).toEqual([
      'hello-world-server@beijing-1/default',
      'hello-world-server@beijing-2/default',
      'hello-world-server@us-west-1/default',
    ]);
    expect(status.services[2]).toEqual({
      name: 'hello-world-server',
      cluster: 'us-west-1',
      namespace: 'default',
      type: 'webservice',
      healthy: true,
      message: 'Ready:5/5',
      traits: [
        { type: 'scaler', healthy: true, message: '' },
        { type: 'gateway', healthy: true, message: 'Visiting URL: testsvc-mc.example.com, IP: 192.168.40.10' },
      ],
      checkedAt,
    });
  });

  it('orders by namespace within a cluster, and keeps the components in the order the applier reported them', () => {
    const redis = { component: 'redis', type: 'worker', healthy: true, message: 'Ready:1/1', traits: [] };
    const status = buildStatus({
      application: application(),
      run: run([step('aaaaaaaaaa', 'deploy', 'succeeded')]),
      targets: [
        target('aaaaaaaaaa', 'beijing-1', { namespace: 'staging', detail: health([redis, helloWorld('10.0.0.2')]) }),
        target('aaaaaaaaaa', 'beijing-1', { namespace: 'prod', detail: health([redis]) }),
      ],
    });
    expect(status.services.map(placeOf)).toEqual(['redis@beijing-1/prod', 'redis@beijing-1/staging', 'hello-world-server@beijing-1/staging']);
  });

  it('shows a component deployed to the same place by two steps once, where it first appears, as the later step left it', () => {
    const status = buildStatus({
      application: application(),
      run: run([step('aaaaaaaaaa', 'deploy-beijing', 'succeeded'), step('bbbbbbbbbb', 'deploy-beijing-ha', 'succeeded')], { mode: 'StepByStep' }),
      targets: [
        target('bbbbbbbbbb', 'beijing-1', { detail: health([helloWorld('10.0.0.1', 5)]) }),
        target('aaaaaaaaaa', 'beijing-1', { detail: health([helloWorld('10.0.0.1')]) }),
        target('aaaaaaaaaa', 'beijing-2', { detail: health([helloWorld('10.0.0.2')]) }),
      ],
    });
    expect(status.services.map((service) => `${placeOf(service)} ${service.message}`)).toEqual([
      'hello-world-server@beijing-1/default Ready:5/5',
      'hello-world-server@beijing-2/default Ready:3/3',
    ]);
  });

  it('keeps the order targets first appear in for steps the run does not list', () => {
    const status = buildStatus({
      application: application(),
      targets: [
        target('zzzzzzzzzz', 'beijing-2', { detail: health([helloWorld('10.0.0.2')]) }),
        target('aaaaaaaaaa', 'beijing-1', { detail: health([helloWorld('10.0.0.1')]) }),
      ],
    });
    expect(status.services.map(placeOf)).toEqual(['hello-world-server@beijing-2/default', 'hello-world-server@beijing-1/default']);
  });

  it('shows interim health of a target still applying, and nothing for one with no health yet', () => {
    const status = buildStatus({
      application: application(),
      run: run([step('aaaaaaaaaa', 'deploy-beijing-clusters', 'running')], { phase: 'running' }),
      targets: [
        target('aaaaaaaaaa', 'beijing-1', { phase: 'applying', detail: health([{ ...helloWorld('10.0.0.1'), healthy: false, message: 'Ready:1/3' }]) }),
        target('aaaaaaaaaa', 'beijing-2', { phase: 'pending' }),
      ],
    });
    expect(status.services.map((service) => `${placeOf(service)} ${service.healthy} ${service.message}`)).toEqual([
      'hello-world-server@beijing-1/default false Ready:1/3',
    ]);
  });

  it("shows a target that failed before health was known as Unhealthy with its message, taking the step's components from a sibling", () => {
    const [failed, healthy] = buildStatus(seedScreens.namespaceFailed).services;
    expect(failed).toEqual({
      name: 'hello-world-server',
      cluster: 'beijing-1',
      namespace: 'multi-cluster',
      type: 'webservice',
      healthy: false,
      message: 'failed to apply component hello-world-server to beijing-1/multi-cluster: namespaces "multi-cluster" not found',
      traits: [
        { type: 'scaler', healthy: false, message: '' },
        { type: 'gateway', healthy: false, message: '' },
      ],
    });
    expect(healthy?.healthy).toBe(true);
  });

  it('can name no service for a failed target when no target of its step reported health; the step still says why', () => {
    const input = seedScreens.namespaceFailed;
    const status = buildStatus({ ...input, targets: input.targets.slice(0, 1) });
    expect(status.services).toEqual([]);
    expect(status.workflow?.steps[0]?.message).toContain('namespaces "multi-cluster" not found');
  });

  it('keeps the last health reading of a target that failed after reporting it', () => {
    const status = buildStatus({
      application: application(),
      run: run([step('aaaaaaaaaa', 'deploy-beijing-clusters', 'failed')], { phase: 'failed' }),
      targets: [
        target('aaaaaaaaaa', 'beijing-1', {
          phase: 'failed',
          message: 'beijing-1/default: hello-world-server not healthy after 5m',
          detail: health([{ ...helloWorld('10.0.0.1'), healthy: false, message: 'Ready:1/3' }]),
        }),
      ],
    });
    expect(status.services.map((service) => `${service.healthy} ${service.message}`)).toEqual(['false Ready:1/3']);
    expect(status.workflow?.steps[0]?.message).toBe('beijing-1/default: hello-world-server not healthy after 5m');
  });

  it('refuses a malformed health detail, naming the target', () => {
    const input = { application: application(), targets: [target('aaaaaaaaaa', 'beijing-1', { detail: { services: [{ component: 'web' }] } })] };
    expect(() => buildStatus(input)).toThrow(/target beijing-1\/default in step aaaaaaaaaa is malformed[\s\S]*services\[0\]\.type/);
  });
});

describe('buildStatus about and requests', () => {
  it('copies the application identity and adds request counts only when given', () => {
    const without = buildStatus(seedScreens.basic);
    expect(without.about).toEqual({ name: 'example-app', namespace: 'default', createdAt: '2022-03-25T09:42:33.000Z', status: 'running' });
    expect(without).not.toHaveProperty('requests');
    expect(without).not.toHaveProperty('cost');
    const status = buildStatus({ ...seedScreens.basic, usage: { usage: basicUsage, prices: publishedPrices } });
    expect(status.requests).toEqual({ dynamodb: 42, sqs: 17 });
    expect(status.cost?.prices).toEqual({ region: 'us-east-1', asOf: '2024-11-01', source: publishedPrices.source });
    expect(status.cost?.run).toEqual({ usage: basicUsage.total, usd: estimateCost(basicUsage.total, publishedPrices) });
  });

  it('rounds the request counts, which hold shares of a batch, to whole requests; the cost keeps the shares', () => {
    const shared = { ...basicUsage, total: { ...basicUsage.total, sqsRequests: 16.6, dynamodbRequests: 41.5 } };
    const status = ApplicationStatus.parse(buildStatus({ ...seedScreens.basic, usage: { usage: shared, prices: publishedPrices } }));
    expect(status.requests).toEqual({ dynamodb: 42, sqs: 17 });
    expect(status.cost?.run.usage.sqsRequests).toBe(16.6);
  });

  it('lists the per-target figures in step order, then cluster order, under the step name', () => {
    const status = buildStatus({ ...seedScreens.basic, usage: { usage: basicUsage, prices: publishedPrices } });
    expect(status.cost?.targets.map((t) => [t.step, t.cluster, t.namespace, t.usage.dynamodbRequests, t.usd.total])).toEqual([
      ['deploy-beijing-clusters', 'beijing-1', 'default', 12, estimateCost(basicUsage.targets[1]!.usage, publishedPrices).total],
      ['deploy-beijing-clusters', 'beijing-2', 'default', 10, estimateCost(basicUsage.targets[0]!.usage, publishedPrices).total],
    ]);
  });
});

describe('TargetHealthDetail', () => {
  it('takes a component health as componentHealth reports it, named and typed', () => {
    const componentHealth = { healthy: true, message: 'Ready:3/3', traits: [{ type: 'scaler', healthy: true, message: '' }] };
    const detail = { services: [{ component: 'hello-world-server', type: 'webservice', ...componentHealth }], checkedAt };
    expect(TargetHealthDetail.parse(detail)).toEqual(detail);
  });

  it('requires an ISO checkedAt and every field of a service', () => {
    expect(TargetHealthDetail.safeParse({ services: [], checkedAt: '25 March 2022' }).success).toBe(false);
    expect(TargetHealthDetail.safeParse({ services: [{ component: 'web', type: 'webservice', healthy: true, traits: [] }], checkedAt }).success).toBe(false);
  });
});
