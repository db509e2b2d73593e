import { readFileSync } from 'node:fs';
import type { ApplicationRecord } from '../../../../lib/core/application/application-record.ts';
import type { RunRecord, StepState } from '../../../../lib/core/run/run.ts';
import type { TargetRecord } from '../../../../lib/core/run/target.ts';
import type { ServiceHealthDetail, TargetHealthDetail } from '../../../../lib/core/run/health-detail.ts';

/** The seed article's screens were taken at 2022-03-25 17:42:33 +0800. */
export const createdAt = '2022-03-25T09:42:33.000Z';
export const checkedAt = '2022-03-25T09:45:00.000Z';

export function golden(name: string): string {
  return readFileSync(new URL(`../../../fixtures/status/${name}`, import.meta.url), 'utf8');
}

export function application(change: Partial<ApplicationRecord> = {}): ApplicationRecord {
  return {
    namespace: 'default',
    name: 'example-app',
    currentRevision: 1,
    specHash: 'spec-hash',
    deleting: false,
    createdAt,
    updatedAt: createdAt,
    version: 1,
    ...change,
  };
}

export function step(id: string, name: string, phase: StepState['phase'], change: Partial<StepState> = {}): StepState {
  return { id, name, type: 'deploy', phase, ...change };
}

export function run(steps: StepState[], change: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: 'run-1',
    namespace: 'default',
    application: 'example-app',
    revision: 1,
    revisionName: 'example-app-v1',
    mode: 'DAG',
    phase: 'succeeded',
    steps,
    createdAt,
    updatedAt: createdAt,
    version: 1,
    ...change,
  };
}

export function target(stepId: string, cluster: string, change: Partial<TargetRecord> = {}): TargetRecord {
  return {
    runId: 'run-1',
    stepId,
    cluster,
    namespace: 'default',
    phase: 'succeeded',
    attempts: 1,
    createdAt,
    updatedAt: checkedAt,
    version: 2,
    ...change,
  };
}

export function health(services: ServiceHealthDetail[], at = checkedAt): TargetHealthDetail {
  return { services, checkedAt: at };
}

/** hello-world-server as the seed shows it: a webservice scaled to `replicas`, reachable through its gateway at `ip`. */
export function helloWorld(ip: string, replicas = 3): ServiceHealthDetail {
  return {
    component: 'hello-world-server',
    type: 'webservice',
    healthy: true,
    message: `Ready:${replicas}/${replicas}`,
    traits: [
      { type: 'scaler', healthy: true, message: '' },
      { type: 'gateway', healthy: true, message: `Visiting URL: testsvc-mc.example.com, IP: ${ip}` },
    ],
  };
}
