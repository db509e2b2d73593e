import { describe, expect, it } from 'vitest';
import { decideRun, type RunFacts, type StepRules } from '../../../../lib/core/run/run-state.ts';
import type { RunRecord, StepState } from '../../../../lib/core/run/run.ts';
import type { StepTally } from '../../../../lib/core/run/target.ts';
import type { StepCondition } from '../../../../lib/core/workflow/step-condition.ts';

const t0 = new Date('2026-11-29T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function step(name: string, type: string, phase: StepState['phase'], extra: Partial<StepState> = {}): StepState {
  return { id: `id-${name}`, name, type, phase, ...extra };
}

function run(steps: StepState[]): RunRecord {
  return { runId: 'r1', namespace: 'default', application: 'app', revision: 1, revisionName: 'app-v1', mode: 'StepByStep', phase: 'running', steps, createdAt: t0.toISOString(), updatedAt: t0.toISOString(), version: 1 };
}

function facts(current: RunRecord, conditions: Record<string, StepCondition>, extra: Partial<RunFacts> = {}): RunFacts {
  const rules = new Map<string, StepRules>(current.steps.map((s) => [s.name, { dependsOn: [], timeoutSeconds: 60, ...(conditions[s.name] ? { condition: conditions[s.name] } : {}) }]));
  return { run: current, mode: 'StepByStep', rules, tallies: new Map(), failures: new Map(), now: at(5), ...extra };
}

const finished = (stepId: string, failed: boolean): StepTally => ({ runId: 'r1', stepId, expected: 1, finished: new Set(['t']), failed: new Set(failed ? ['t'] : []) });
const phases = (decided: RunRecord) => decided.steps.map((s) => `${s.name}:${s.phase}`);
const started = { startedAt: t0.toISOString() };

describe('decideRun with if conditions', () => {
  const onFailure: StepCondition = { kind: 'status', step: 'deploy', outcome: 'failed' };
  const onSuccess: StepCondition = { kind: 'status', step: 'deploy', outcome: 'succeeded' };

  it('runs a status.<step>.failed notification after the deploy failed, and the run fails once it is done', () => {
    const current = run([step('deploy', 'deploy', 'running', started), step('tell', 'notification', 'pending'), step('after', 'deploy', 'pending')]);
    const decided = decideRun(facts(current, { tell: onFailure }, { tallies: new Map([['id-deploy', finished('id-deploy', true)]]), failures: new Map([['id-deploy', ['boom']]]) }));
    expect(phases(decided.run)).toEqual(['deploy:failed', 'tell:running', 'after:pending']);
    expect(decided.start.map((s) => s.name)).toEqual(['tell']);
    expect(decided.run.phase).toBe('running');

    const delivered = { ...decided.run, steps: decided.run.steps.map((s) => (s.name === 'tell' ? { ...s, phase: 'succeeded' as const } : s)) };
    const closed = decideRun(facts(delivered, { tell: onFailure }, { now: at(6) }));
    // A step without `if` after a failure is skipped, as KubeVela skips it.
    expect(phases(closed.run)).toEqual(['deploy:failed', 'tell:succeeded', 'after:skipped']);
    expect(closed.run.phase).toBe('failed');
    expect(closed.run.message).toBe('step deploy failed');
  });

  it('skips a status.<step>.failed step when the deploy succeeded, and the steps after it still run', () => {
    const current = run([step('deploy', 'deploy', 'running', started), step('tell', 'notification', 'pending'), step('after', 'suspend', 'pending')]);
    const decided = decideRun(facts(current, { tell: onFailure }, { tallies: new Map([['id-deploy', finished('id-deploy', false)]]) }));
    expect(phases(decided.run)).toEqual(['deploy:succeeded', 'tell:skipped', 'after:suspending']);
    expect(decided.run.phase).toBe('suspended');
  });

  it('runs status.<step>.succeeded only after a success, and always whatever happened', () => {
    for (const failed of [false, true]) {
      const current = run([step('deploy', 'deploy', 'running', started), step('ok', 'webhook', 'pending'), step('all', 'webhook', 'pending')]);
      const first = decideRun(facts(current, { ok: onSuccess, all: { kind: 'always' } }, { tallies: new Map([['id-deploy', finished('id-deploy', failed)]]) }));
      expect(phases(first.run)).toEqual(failed ? ['deploy:failed', 'ok:skipped', 'all:running'] : ['deploy:succeeded', 'ok:running', 'all:pending']);
    }
  });

  it('ends an outbound step that never hears back at its deadline, as succeeded with the reason: it never fails the run', () => {
    const current = run([step('deploy', 'deploy', 'succeeded'), step('tell', 'notification', 'running', started)]);
    const waiting = decideRun(facts(current, {}, { now: at(30) }));
    expect(waiting.changed).toBe(false);
    expect(waiting.wakeAt).toEqual([at(60)]);
    const expired = decideRun(facts(current, {}, { now: at(61) }));
    expect(phases(expired.run)).toEqual(['deploy:succeeded', 'tell:succeeded']);
    expect(expired.run.steps[1]?.message).toBe('not delivered: no answer within 60s');
    expect(expired.run.phase).toBe('succeeded');
  });

  it('starts an outbound step like a deploy step, with its deadline wake-up', () => {
    const current = run([step('tell', 'webhook', 'pending')]);
    const decided = decideRun(facts(current, {}, { now: t0 }));
    expect(decided.start.map((s) => s.name)).toEqual(['tell']);
    expect(decided.wakeAt).toEqual([at(60)]);
  });
});
