import { describe, expect, it } from 'vitest';
import { RunEvent, runHistoryLimit, runTransitions, withHistory } from '../../../../lib/core/run/run-events.ts';
import type { RunRecord, StepState } from '../../../../lib/core/run/run.ts';
import { newRollout } from '../../../../lib/core/run/rollout-state.ts';
import { buildStatus } from '../../../../lib/core/status/build-status.ts';
import { renderStatusText } from '../../../../lib/core/status/render-status-text.ts';

const at = '2026-12-01T15:00:00.000Z';
const step = (name: string, phase: StepState['phase'], extra: Partial<StepState> = {}): StepState => ({ id: `id-${name}`, name, type: name === 'approve' ? 'suspend' : 'deploy', phase, ...extra });
const run = (phase: RunRecord['phase'], steps: StepState[], extra: Partial<RunRecord> = {}): RunRecord => ({
  runId: 'r1',
  namespace: 'team-a',
  application: 'shop',
  revision: 2,
  revisionName: 'shop-v2',
  mode: 'StepByStep',
  phase,
  steps,
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...extra,
});
const names = (events: RunEvent[]) => events.map((e) => `${e.event}${e.step ? ` ${e.step.name}` : ''}`);

describe('runTransitions', () => {
  it('a new run is started, or rolled back for a rollback', () => {
    const created = run('running', [step('ship', 'pending')]);
    expect(names(runTransitions(undefined, created))).toEqual(['run.started']);
    expect(names(runTransitions(undefined, created, { rollback: true }))).toEqual(['run.rolled-back']);
  });

  it('names each step transition and the run transition after them, with the reason', () => {
    const before = run('running', [step('ship', 'running'), step('approve', 'pending'), step('later', 'pending')]);
    const after = run('failed', [step('ship', 'failed', { message: 'boom' }), step('approve', 'skipped'), step('later', 'skipped')], { message: 'step ship failed' });
    const events = runTransitions(before, after);
    expect(names(events)).toEqual(['step.failed ship', 'step.skipped approve', 'step.skipped later', 'run.failed']);
    expect(events[0]).toEqual({ event: 'step.failed', at, namespace: 'team-a', application: 'shop', runId: 'r1', revision: 'shop-v2', step: { name: 'ship', type: 'deploy' }, message: 'boom' });
    expect(events[3]?.message).toBe('step ship failed');
    for (const event of events) expect(RunEvent.parse(event)).toEqual(event);
  });

  it('suspended, resumed and terminated', () => {
    const running = run('running', [step('approve', 'pending')]);
    const suspended = run('suspended', [step('approve', 'suspending')]);
    expect(names(runTransitions(running, suspended))).toEqual(['step.suspended approve', 'run.suspended']);
    const resumed = run('running', [step('approve', 'succeeded'), step('ship', 'running')]);
    expect(names(runTransitions({ ...suspended, steps: [...suspended.steps, step('ship', 'pending')] }, resumed))).toEqual(['step.resumed approve', 'step.succeeded approve', 'step.started ship', 'run.resumed']);
    const stopped = run('terminated', [step('approve', 'failed', { message: 'terminated by user' })], { message: 'terminated by user' });
    // A terminate is no resume.
    expect(names(runTransitions(suspended, stopped))).toEqual(['step.failed approve', 'run.terminated']);
  });

  it('nothing changed, nothing published', () => {
    const same = run('running', [step('ship', 'running')]);
    expect(runTransitions(same, { ...same, updatedAt: '2026-12-01T15:01:00.000Z' })).toEqual([]);
  });
});

describe('wave healthy events', () => {
  const waves = (phases: ('pending' | 'running' | 'healthy' | 'failed')[], extra: Partial<ReturnType<typeof newRollout>> = {}) => {
    const rollout = { ...newRollout([['us-west-1'], ['eu-1', 'eu-2']], { maxUnavailableClusters: 0, approval: true, onFailure: 'pause', waveTimeoutSeconds: 60 }), ...extra };
    return { ...rollout, waves: rollout.waves.map((wave, index) => ({ ...wave, phase: phases[index]! })) };
  };

  it('a wave that became healthy is published before the suspension for approval it leads to', () => {
    const before = run('running', [step('ship', 'running', { rollout: waves(['running', 'pending']) })]);
    const after = run('suspended', [step('ship', 'suspending', { rollout: waves(['healthy', 'pending']), message: 'waiting for approval' })]);
    const events = runTransitions(before, after);
    expect(names(events)).toEqual(['step.wave-healthy ship', 'step.suspended ship', 'run.suspended']);
    expect(events[0]).toMatchObject({ event: 'step.wave-healthy', step: { name: 'ship', type: 'deploy' }, message: 'wave 1 of 2 healthy (us-west-1)' });
    expect(RunEvent.parse(events[0])).toEqual(events[0]);
    // Written again unchanged (a duplicate advance), nothing more is published; the last wave is healthy once.
    expect(runTransitions(after, after)).toEqual([]);
    const last = run('running', [step('ship', 'succeeded', { rollout: waves(['healthy', 'healthy']) })]);
    expect(names(runTransitions(after, last)).filter((n) => n.startsWith('step.wave-healthy'))).toEqual(['step.wave-healthy ship']);
  });

  it('a failed wave and the one wave of a plain parallelism publish none', () => {
    const before = run('running', [step('ship', 'running', { rollout: waves(['running', 'pending']) })]);
    expect(names(runTransitions(before, run('running', [step('ship', 'running', { rollout: waves(['failed', 'running']) })])))).toEqual([]);
    const plain = (phase: 'running' | 'healthy') => run('running', [step('ship', 'running', { rollout: { ...newRollout([['a', 'b']], { parallelism: 1, parallelismOnly: true, maxUnavailableClusters: 0, approval: false, onFailure: 'continue' }), waves: [{ clusters: ['a', 'b'], phase, dispatched: ['a', 'b'] }] } })]);
    expect(runTransitions(plain('running'), plain('healthy'))).toEqual([]);
  });
});

describe('withHistory and status', () => {
  it('keeps the newest entries, and status shows the last ten as a History block', () => {
    let current = run('running', [step('ship', 'running')]);
    const event = (i: number): RunEvent => ({ event: 'step.started', at: `2026-12-01T15:00:${String(i).padStart(2, '0')}.000Z`, namespace: 'team-a', application: 'shop', runId: 'r1', revision: 'shop-v2', step: { name: `s${i}`, type: 'deploy' } });
    for (let i = 0; i < runHistoryLimit + 5; i++) current = withHistory(current, [event(i)]);
    expect(current.history).toHaveLength(runHistoryLimit);
    expect(current.history?.[0]?.step?.name).toBe('s5');
    const status = buildStatus({ application: { name: 'shop', namespace: 'team-a', createdAt: at, deleting: false, currentRevision: 2, latestRevision: 2 } as never, run: current, targets: [] });
    expect(status.history?.map((h) => h.step)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i + 15}`));
    expect(renderStatusText(status)).toContain('History:\n\n  2026-12-01T15:00:15.000Z  step.started s15\n');
  });

  it("a healthy wave is a line of the status history, with the wave and its clusters", () => {
    const before = run('running', [step('ship', 'running', { rollout: newRollout([['us-west-1'], ['eu-1']], { maxUnavailableClusters: 0, approval: false, onFailure: 'pause', waveTimeoutSeconds: 60 }) })]);
    const rollout = { ...before.steps[0]!.rollout!, waves: before.steps[0]!.rollout!.waves.map((wave, index) => (index === 0 ? { ...wave, phase: 'healthy' as const, dispatched: ['us-west-1'] } : wave)) };
    const after = run('running', [step('ship', 'running', { rollout })]);
    const current = withHistory(after, runTransitions(before, after));
    const status = buildStatus({ application: { name: 'shop', namespace: 'team-a', createdAt: at, deleting: false, currentRevision: 2, latestRevision: 2 } as never, run: current, targets: [] });
    expect(renderStatusText(status)).toMatch(/step\.wave-healthy ship.*wave 1 of 2 healthy \(us-west-1\)/);
  });
});
