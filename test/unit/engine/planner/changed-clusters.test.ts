import { describe, expect, it } from 'vitest';
import { newRollout } from '../../../../lib/core/run/rollout-state.ts';
import type { RunRecord, StepState } from '../../../../lib/core/run/run.ts';
import type { TargetRecord } from '../../../../lib/core/run/target.ts';
import { changedClusters } from '../../../../lib/engine/planner/rollout-step.ts';

const at = '2026-12-01T15:00:00.000Z';
const target = (stepId: string, cluster: string, namespace = 'shop'): TargetRecord => ({ runId: 'r1', stepId, cluster, namespace, phase: 'pending', attempts: 0, createdAt: at, updatedAt: at, version: 1 });

describe("changedClusters (what a rollout's rollback re-runs on)", () => {
  it('every cluster of a step without waves, only the dispatched clusters of a rollout, each once, in name order', () => {
    const rollout = newRollout([['us-west-1'], ['eu-1', 'eu-2']], { maxUnavailableClusters: 0, approval: false, onFailure: 'rollback', waveTimeoutSeconds: 60 });
    rollout.waves[0] = { ...rollout.waves[0]!, phase: 'failed', dispatched: ['us-west-1'], failed: ['us-west-1'] };
    const steps: StepState[] = [
      { id: 'infra', name: 'infra', type: 'deploy', phase: 'succeeded' },
      { id: 'ship', name: 'ship', type: 'deploy', phase: 'failed', rollout },
    ];
    const run = { runId: 'r1', steps } as unknown as RunRecord;
    const targets = [target('infra', 'zz-1'), target('infra', 'eu-2'), target('ship', 'us-west-1'), target('ship', 'us-west-1', 'other'), target('ship', 'eu-1'), target('ship', 'eu-2')];
    // eu-1 was held by the rollout and never sent anything; eu-2 was, by the earlier step.
    expect(changedClusters(run, targets)).toEqual(['eu-2', 'us-west-1', 'zz-1']);
  });
});
