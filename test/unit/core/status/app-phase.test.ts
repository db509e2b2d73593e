import { describe, expect, it } from 'vitest';
import { appPhase } from '../../../../lib/core/status/app-phase.ts';
import type { AppPhase } from '../../../../lib/core/status/application-status.ts';
import { buildStatus } from '../../../../lib/core/status/build-status.ts';
import type { RunPhase, StepPhase } from '../../../../lib/core/run/run.ts';
import { application, health, helloWorld, run, step, target } from './status-records.ts';

const healthy = [{ healthy: true }];
const oneUnhealthy = [{ healthy: true }, { healthy: false }];

describe('appPhase', () => {
  it.each<[string, { deleting?: boolean; run?: RunPhase; services: { healthy: boolean }[] }, AppPhase]>([
    ['no run yet', { services: [] }, 'rendering'],
    ['a running workflow', { run: 'running', services: healthy }, 'runningWorkflow'],
    ['a suspended workflow', { run: 'suspended', services: healthy }, 'workflowSuspending'],
    ['a terminated workflow with healthy services (kubevela#4293)', { run: 'terminated', services: healthy }, 'workflowTerminated'],
    ['a terminated workflow with an unhealthy service', { run: 'terminated', services: oneUnhealthy }, 'workflowTerminated'],
    ['a failed workflow with healthy services (kubevela#6942)', { run: 'failed', services: healthy }, 'workflowFailed'],
    ['a succeeded workflow, every service healthy', { run: 'succeeded', services: healthy }, 'running'],
    ['a succeeded workflow with no services at all', { run: 'succeeded', services: [] }, 'running'],
    ['a succeeded workflow with an unhealthy service', { run: 'succeeded', services: oneUnhealthy }, 'unhealthy'],
    ['a deleting application, whatever its run', { deleting: true, run: 'succeeded', services: healthy }, 'deleting'],
    ['a deleting application with no run', { deleting: true, services: [] }, 'deleting'],
  ])('%s', (_, input, expected) => {
    expect(appPhase({ deleting: false, ...input })).toBe(expected);
  });
});

describe('buildStatus phase words', () => {
  const targets = (healthyReplicas: boolean) => [
    target('wftf9d4exj', 'beijing-1', { detail: health([helloWorld('60.205.222.30')]) }),
    target('wftf9d4exj', 'beijing-2', {
      detail: health([{ ...helloWorld('182.92.222.128'), ...(healthyReplicas ? {} : { healthy: false, message: 'Ready:2/3' }) }]),
    }),
  ];

  it.each<[RunPhase, StepPhase, boolean, AppPhase]>([
    ['running', 'running', true, 'runningWorkflow'],
    ['suspended', 'suspending', true, 'workflowSuspending'],
    ['terminated', 'failed', true, 'workflowTerminated'],
    ['failed', 'failed', true, 'workflowFailed'],
    ['succeeded', 'succeeded', true, 'running'],
    ['succeeded', 'succeeded', false, 'unhealthy'],
  ])('a %s run whose step is %s, services healthy: %s, is %s', (runPhase, stepPhase, healthyReplicas, expected) => {
    const status = buildStatus({
      application: application(),
      run: run([step('wftf9d4exj', 'deploy-beijing-clusters', stepPhase)], { phase: runPhase }),
      targets: targets(healthyReplicas),
    });
    expect(status.about.status).toBe(expected);
  });

  it('is deleting once a delete was requested', () => {
    const status = buildStatus({ application: application({ deleting: true }), run: run([]), targets: targets(true) });
    expect(status.about.status).toBe('deleting');
  });

  it('is rendering before the first run', () => {
    expect(buildStatus({ application: application(), targets: [] }).about.status).toBe('rendering');
  });
});
