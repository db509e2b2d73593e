import { describe, expect, it } from 'vitest';
import { deadlineOf, decideRun, resumedStep, suspendedStep, type RunFacts, type StepRules } from '../../../../lib/core/run/run-state.ts';
import { newRollout } from '../../../../lib/core/run/rollout-state.ts';
import type { RunRecord, StepState } from '../../../../lib/core/run/run.ts';
import type { StepTally } from '../../../../lib/core/run/target.ts';

const t0 = new Date('2026-11-29T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function step(name: string, phase: StepState['phase'], extra: Partial<StepState> = {}): StepState {
  return { id: `id-${name}`, name, type: 'deploy', phase, ...extra };
}

function run(steps: StepState[], phase: RunRecord['phase'] = 'running'): RunRecord {
  return {
    runId: 'r1',
    namespace: 'default',
    application: 'app',
    revision: 1,
    revisionName: 'app-v1',
    mode: 'StepByStep',
    phase,
    steps,
    createdAt: t0.toISOString(),
    updatedAt: t0.toISOString(),
    version: 1,
  };
}

function tally(stepId: string, expected: number, finished: string[], failed: string[] = []): StepTally {
  return { runId: 'r1', stepId, expected, finished: new Set(finished), failed: new Set(failed) };
}

function facts(partial: Partial<RunFacts> & { run: RunRecord }): RunFacts {
  const rules = new Map<string, StepRules>(partial.run.steps.map((s) => [s.name, { dependsOn: [], timeoutSeconds: 60 }]));
  return { mode: 'StepByStep', rules, tallies: new Map(), failures: new Map(), now: t0, ...partial };
}

const phases = (decided: RunRecord) => decided.steps.map((s) => `${s.name}:${s.phase}`);

describe('decideRun', () => {
  it('StepByStep starts only the first pending step, and the next once it succeeded', () => {
    const first = decideRun(facts({ run: run([step('a', 'pending'), step('b', 'pending')]) }));
    expect(phases(first.run)).toEqual(['a:running', 'b:pending']);
    expect(first.start.map((s) => s.name)).toEqual(['a']);
    // A step started in this pass already has its deadline wake-up: no applier message is needed to enforce it.
    expect(first.wakeAt).toEqual([at(60)]);

    const done = run([step('a', 'running', { startedAt: t0.toISOString() }), step('b', 'pending')]);
    const second = decideRun(facts({ run: done, tallies: new Map([['id-a', tally('id-a', 2, ['x', 'y'])]]), now: at(5) }));
    expect(phases(second.run)).toEqual(['a:succeeded', 'b:running']);
    expect(second.start.map((s) => s.name)).toEqual(['b']);
    expect(second.run.phase).toBe('running');
  });

  it('DAG starts every step whose dependsOn steps succeeded, together', () => {
    const steps = [step('a', 'pending'), step('b', 'pending'), step('c', 'pending')];
    const rules = new Map<string, StepRules>([
      ['a', { dependsOn: [], timeoutSeconds: 60 }],
      ['b', { dependsOn: [], timeoutSeconds: 60 }],
      ['c', { dependsOn: ['a'], timeoutSeconds: 60 }],
    ]);
    const decided = decideRun(facts({ run: run(steps), mode: 'DAG', rules }));
    expect(decided.start.map((s) => s.name)).toEqual(['a', 'b']);
    expect(phases(decided.run)).toEqual(['a:running', 'b:running', 'c:pending']);
  });

  it('a failed target fails its step with the target messages; the run fails and unstarted steps are skipped', () => {
    const failing = run([step('a', 'running', { startedAt: t0.toISOString() }), step('b', 'pending')]);
    const decided = decideRun(
      facts({
        run: failing,
        tallies: new Map([['id-a', tally('id-a', 2, ['x', 'y'], ['y'])]]),
        failures: new Map([['id-a', ['namespaces "multi-cluster" not found']]]),
      }),
    );
    expect(phases(decided.run)).toEqual(['a:failed', 'b:skipped']);
    expect(decided.run.steps[0]?.message).toBe('namespaces "multi-cluster" not found');
    expect(decided.run.phase).toBe('failed');
    expect(decided.start).toEqual([]);
  });

  it('a step with open targets past its deadline expires them; before the deadline it waits and asks to be woken', () => {
    const open = run([step('a', 'running', { startedAt: t0.toISOString() })]);
    const tallies = new Map([['id-a', tally('id-a', 2, ['x'])]]);
    const waiting = decideRun(facts({ run: open, tallies, now: at(30) }));
    expect(waiting.expired).toEqual([]);
    expect(waiting.wakeAt).toEqual([at(60)]);
    expect(waiting.changed).toBe(false);

    const late = decideRun(facts({ run: open, tallies, now: at(61) }));
    expect(late.expired.map((s) => s.name)).toEqual(['a']);
  });

  it('a running step whose targets were never registered is planned again (placement retry or crash)', () => {
    const decided = decideRun(facts({ run: run([step('a', 'running', { startedAt: t0.toISOString() })]), now: at(1) }));
    expect(decided.replan.map((s) => s.name)).toEqual(['a']);
  });

  it('a step that cannot be placed before its deadline fails with the placement message', () => {
    const unplaced = run([step('a', 'running', { startedAt: t0.toISOString(), message: 'failed to find any cluster matches given labels' })]);
    const decided = decideRun(facts({ run: unplaced, now: at(61) }));
    expect(decided.run.steps[0]).toMatchObject({ phase: 'failed', message: 'timed out after 60s: failed to find any cluster matches given labels' });
    expect(decided.run.phase).toBe('failed');
  });

  it('a suspend step suspends the run; with a duration it resumes by itself', () => {
    const suspend: StepState = { id: 'id-s', name: 's', type: 'suspend', phase: 'pending' };
    const rules = new Map<string, StepRules>([
      ['s', { dependsOn: [], timeoutSeconds: 60, durationSeconds: 10 }],
      ['b', { dependsOn: [], timeoutSeconds: 60 }],
    ]);
    const first = decideRun(facts({ run: run([suspend, step('b', 'pending')]), rules }));
    expect(phases(first.run)).toEqual(['s:suspending', 'b:pending']);
    expect(first.run.phase).toBe('suspended');
    expect(first.wakeAt).toEqual([at(10)]);

    const resumed = decideRun(facts({ run: first.run, rules, now: at(10) }));
    expect(phases(resumed.run)).toEqual(['s:succeeded', 'b:running']);
    expect(resumed.run.phase).toBe('running');
  });

  it('closes the run when every step succeeded, and changes nothing for a finished run', () => {
    const last = run([step('a', 'succeeded'), step('b', 'running', { startedAt: t0.toISOString() })]);
    const decided = decideRun(facts({ run: last, tallies: new Map([['id-b', tally('id-b', 0, [])]]) }));
    expect(decided.run.phase).toBe('succeeded');
    expect(decideRun(facts({ run: decided.run })).changed).toBe(false);
  });

  it('is a no-op for terminated runs', () => {
    const stopped = run([step('a', 'failed')], 'terminated');
    expect(decideRun(facts({ run: stopped })).changed).toBe(false);
  });

  it("shows a suspend step's own message while it waits", () => {
    const steps = [{ id: 'id-approve', name: 'approve', type: 'suspend', phase: 'pending' as const }];
    const rules = new Map<string, StepRules>([['approve', { dependsOn: [], timeoutSeconds: 60, suspendMessage: 'approve the AWS rollout' }]]);
    const decided = decideRun(facts({ run: run(steps), rules }));
    expect(decided.run.steps[0]).toMatchObject({ phase: 'suspending', message: 'approve the AWS rollout' });
    expect(decided.run.phase).toBe('suspended');
  });
});

describe('step deadlines do not count time suspended', () => {
  const rules: StepRules = { dependsOn: [], timeoutSeconds: 60 };

  it('the deadline is the timeout after the start, moved out by the time suspended and resumed', () => {
    const started = step('ship', 'running', { startedAt: t0.toISOString() });
    expect(deadlineOf(started, rules, 600)).toEqual(at(60));
    // Suspended 30 s in, for 200 s (longer than the timeout), resumed at 230 s: 30 s were used, 30 s are left.
    const suspended = suspendedStep(started, at(30));
    expect(suspended).toMatchObject({ phase: 'suspending', suspendedAt: at(30).toISOString() });
    const resumed = resumedStep(suspended, at(230));
    expect(resumed.phase).toBe('running');
    expect(resumed.suspendedAt).toBeUndefined();
    expect(resumed.suspendedSeconds).toBe(200);
    expect(deadlineOf(resumed, rules, 600)).toEqual(at(260));
    // A second suspension adds to the first.
    const twice = resumedStep(suspendedStep(resumed, at(240)), at(250));
    expect(twice.suspendedSeconds).toBe(210);
    expect(deadlineOf(twice, rules, 600)).toEqual(at(270));
  });

  it('a repeated suspend keeps the first moment; a resume without a recorded suspension adds nothing', () => {
    const suspended = suspendedStep(suspendedStep(step('ship', 'running', { startedAt: t0.toISOString() }), at(10)), at(20));
    expect(suspended.suspendedAt).toBe(at(10).toISOString());
    const old = resumedStep(step('ship', 'suspending', { startedAt: t0.toISOString() }), at(500));
    expect(old.suspendedSeconds).toBeUndefined();
    expect(deadlineOf(old, rules, 600)).toEqual(at(60));
  });

  it("a resumed rollout's running wave has its start moved too, so its waveTimeout does not count the suspension", () => {
    const rollout = newRollout([['a'], ['b']], { maxUnavailableClusters: 0, approval: false, onFailure: 'pause', waveTimeoutSeconds: 60 });
    rollout.waves[0] = { ...rollout.waves[0]!, phase: 'healthy', startedAt: t0.toISOString(), finishedAt: at(5).toISOString() };
    rollout.waves[1] = { ...rollout.waves[1]!, phase: 'running', startedAt: at(10).toISOString(), dispatched: ['b'] };
    const resumed = resumedStep(suspendedStep(step('ship', 'running', { startedAt: t0.toISOString(), rollout }), at(20)), at(120));
    expect(resumed.rollout?.waves.map((w) => w.startedAt)).toEqual([t0.toISOString(), at(110).toISOString()]);
  });

  it('a suspended run is never timed out while it waits: decideRun judges no suspending deploy step', () => {
    const waiting = run([suspendedStep(step('ship', 'running', { startedAt: t0.toISOString() }), at(10))], 'suspended');
    const decision = decideRun(facts({ run: waiting, now: at(10_000) }));
    expect(decision).toMatchObject({ changed: false, expired: [] });
    expect(phases(decision.run)).toEqual(['ship:suspending']);
  });
});
