import { describe, expect, it } from 'vitest';
import { clusterNamespaces, decideRollout, dispatchedClusters, newRollout, rolloutPlacements, tallyOutcomes, type ClusterOutcome, type RolloutState } from '../../../../lib/core/run/rollout-state.ts';

const now = new Date('2026-12-01T12:00:00.000Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const settings = { parallelism: 5, maxUnavailableClusters: 0, approval: false, onFailure: 'pause' as const, waveTimeoutSeconds: 60 };
const outcomes = (entries: Record<string, ClusterOutcome>) => new Map(Object.entries(entries));

/** Runs decisions until nothing changes, as repeated advances would, and returns the last. */
function settle(rollout: RolloutState, seen: Record<string, ClusterOutcome>, at = now) {
  let decision = decideRollout({ rollout, outcomes: outcomes(seen), now: at });
  while (decision.changed && !decision.stop) decision = decideRollout({ rollout: decision.rollout, outcomes: outcomes(seen), now: at });
  return decision;
}

describe('decideRollout', () => {
  const waves = [['a'], ['b', 'c', 'd']];

  it('starts with the first wave only and holds the next until every cluster of it is healthy', () => {
    const first = decideRollout({ rollout: newRollout(waves, settings), outcomes: outcomes({}), now });
    expect(first.dispatch).toEqual(['a']);
    expect([...dispatchedClusters(first.rollout)]).toEqual(['a']);
    const waiting = decideRollout({ rollout: first.rollout, outcomes: outcomes({ a: 'open' }), now });
    expect(waiting).toMatchObject({ dispatch: [], changed: false });
    const healthy = decideRollout({ rollout: first.rollout, outcomes: outcomes({ a: 'succeeded' }), now });
    expect(healthy.dispatch).toEqual(['b', 'c', 'd']);
    expect(healthy.rollout.waves.map((w) => w.phase)).toEqual(['healthy', 'running']);
  });

  it('keeps at most parallelism clusters of a wave open at once', () => {
    const start = decideRollout({ rollout: newRollout([['a', 'b', 'c']], { ...settings, parallelism: 2 }), outcomes: outcomes({}), now });
    expect(start.dispatch).toEqual(['a', 'b']);
    expect(decideRollout({ rollout: start.rollout, outcomes: outcomes({ a: 'open', b: 'open' }), now }).changed).toBe(false);
    expect(decideRollout({ rollout: start.rollout, outcomes: outcomes({ a: 'succeeded', b: 'open' }), now }).dispatch).toEqual(['c']);
  });

  it('pauses after a wave with more failed clusters than maxUnavailableClusters, naming them', () => {
    const started = settle(newRollout(waves, settings), {});
    const failed = decideRollout({ rollout: started.rollout, outcomes: outcomes({ a: 'failed' }), now });
    expect(failed.dispatch).toEqual([]);
    expect(failed.stop?.kind).toBe('pause');
    expect(failed.stop?.message).toContain('wave 1 of 2 failed: 1 of 1 clusters failed (a)');
    expect(failed.rollout.waves[0]).toMatchObject({ phase: 'failed', failed: ['a'] });
    // Resumed: the failed wave stays failed and the next one starts.
    expect(decideRollout({ rollout: failed.rollout, outcomes: outcomes({ a: 'failed' }), now }).dispatch).toEqual(['b', 'c', 'd']);
  });

  it('tolerates maxUnavailableClusters failures, goes on with continue, and asks for a rollback with rollback', () => {
    const three = [['a', 'b'], ['c']];
    const tolerant = settle(newRollout(three, { ...settings, maxUnavailableClusters: 1 }), { a: 'failed', b: 'succeeded' });
    expect(tolerant.rollout.waves.map((w) => w.phase)).toEqual(['healthy', 'running']);
    const onward = settle(newRollout(three, { ...settings, onFailure: 'continue' }), { a: 'failed', b: 'failed' });
    expect(onward.rollout.waves.map((w) => w.phase)).toEqual(['failed', 'running']);
    const back = settle(newRollout(three, { ...settings, onFailure: 'rollback' }), { a: 'failed', b: 'succeeded' });
    expect(back.stop).toMatchObject({ kind: 'rollback' });
    expect(back.rollout.waves[1]?.dispatched).toEqual([]);
  });

  it('suspends for approval after each healthy wave but the last', () => {
    const approval = settle(newRollout([['a'], ['b'], ['c']], { ...settings, approval: true }), { a: 'succeeded' });
    expect(approval.stop).toMatchObject({ kind: 'approval' });
    expect(approval.stop?.message).toContain('wave 1 of 3 healthy (a)');
    const resumed = settle(approval.rollout, { a: 'succeeded', b: 'succeeded' });
    expect(resumed.stop?.message).toContain('wave 2 of 3 healthy (b)');
    const last = settle(resumed.rollout, { a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    expect(last.stop).toBeUndefined();
    expect(last.rollout.waves.map((w) => w.phase)).toEqual(['healthy', 'healthy', 'healthy']);
  });

  it('waits pauseBetweenWaves after a healthy wave before the next starts', () => {
    const soaking = settle(newRollout(waves, { ...settings, pauseSeconds: 30 }), { a: 'succeeded' });
    expect(soaking.rollout.waves[1]?.phase).toBe('pending');
    expect(soaking.wakeAt).toEqual(later(30));
    expect(decideRollout({ rollout: soaking.rollout, outcomes: outcomes({ a: 'succeeded' }), now: later(29) }).dispatch).toEqual([]);
    expect(decideRollout({ rollout: soaking.rollout, outcomes: outcomes({ a: 'succeeded' }), now: later(30) }).dispatch).toEqual(['b', 'c', 'd']);
  });

  it('gives up on the waiting clusters of a wave past its waveTimeout, sending nothing more', () => {
    const start = decideRollout({ rollout: newRollout([['a', 'b', 'c']], { ...settings, parallelism: 2 }), outcomes: outcomes({}), now });
    expect(start.wakeAt).toEqual(later(60));
    const late = decideRollout({ rollout: start.rollout, outcomes: outcomes({ a: 'succeeded', b: 'open' }), now: later(60) });
    expect(late.dispatch).toEqual([]);
    expect(late.expire).toEqual({ clusters: ['b', 'c'], message: 'wave 1 of 1 not healthy within waveTimeout 60s' });
  });

  it('decides the same thing twice: a repeated advance dispatches nothing more', () => {
    const once = settle(newRollout(waves, settings), { a: 'succeeded' });
    const twice = decideRollout({ rollout: once.rollout, outcomes: outcomes({ a: 'succeeded' }), now });
    expect(twice).toMatchObject({ dispatch: [], changed: false });
  });
});

describe('decideRollout without limits', () => {
  it('without parallelism sends every cluster of the wave at once', () => {
    const { parallelism: _unset, ...unlimited } = settings;
    const start = decideRollout({ rollout: newRollout([['a', 'b', 'c', 'd', 'e', 'f', 'g']], unlimited), outcomes: outcomes({}), now });
    expect(start.dispatch).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('a plain deploy step with parallelism (one wave, no waveTimeout) holds the rest until one finishes, and never expires a cluster', () => {
    const plain = newRollout([['a', 'b', 'c']], { parallelism: 1, parallelismOnly: true, maxUnavailableClusters: 0, approval: false, onFailure: 'continue' });
    const start = decideRollout({ rollout: plain, outcomes: outcomes({}), now });
    expect(start.dispatch).toEqual(['a']);
    // No wave deadline: long after, a still-open cluster is not failed by the rollout (the step's timeout is the deadline).
    const much = decideRollout({ rollout: start.rollout, outcomes: outcomes({ a: 'open' }), now: later(86_400) });
    expect(much).toMatchObject({ dispatch: [], expire: { clusters: [] }, changed: false });
    expect(much.wakeAt).toBeUndefined();
    // A failure does not stop the one wave: the next cluster goes, and the step closes from its tally.
    const next = decideRollout({ rollout: start.rollout, outcomes: outcomes({ a: 'failed' }), now });
    expect(next.dispatch).toEqual(['b']);
    const done = settle(next.rollout, { a: 'failed', b: 'succeeded', c: 'succeeded' });
    expect(done.stop).toBeUndefined();
    expect(done.rollout.waves[0]).toMatchObject({ phase: 'failed', dispatched: ['a', 'b', 'c'] });
  });
});

describe('clusterNamespaces and rolloutPlacements (the targets a rollout records with its waves)', () => {
  const placed = (cluster: string, namespace: string) => ({ cluster, namespace });

  it('records the most common namespaces once and the other clusters by name, and gives every placement back', () => {
    const placements = [placed('a', 'shop'), placed('b', 'shop'), placed('c', 'shop'), placed('c', 'audit'), placed('d', 'shop')];
    const namespaces = clusterNamespaces(['a', 'b', 'c', 'd'], placements);
    expect(namespaces).toEqual({ each: ['shop'], except: { c: ['audit', 'shop'] } });
    const rollout = { ...newRollout([['a', 'b'], ['c', 'd']], settings), namespaces };
    expect(rolloutPlacements(rollout, ['c', 'a'])).toEqual([placed('c', 'audit'), placed('c', 'shop'), placed('a', 'shop')]);
    expect(rolloutPlacements(newRollout([['a']], settings), ['a'])).toBeUndefined();
  });

  it('leaves `except` out when every cluster has the same namespaces', () => {
    expect(clusterNamespaces(['a', 'b'], [placed('b', 'x'), placed('a', 'x')])).toEqual({ each: ['x'] });
  });
});

describe('tallyOutcomes (cluster outcomes from the step tally alone)', () => {
  const rollout = { ...newRollout([['a'], ['b', 'c']], settings), namespaces: { each: ['shop'], except: { b: ['audit', 'shop'] } } };
  const tally = (finished: string[], failed: string[] = []) => ({ runId: 'r1', stepId: 's1', expected: 4, finished: new Set(finished), failed: new Set(failed) });

  it('a cluster succeeds once all its targets finished, fails with any failed one, and is open before', () => {
    expect(tallyOutcomes(rollout, tally([]))).toEqual(outcomes({ a: 'open', b: 'open', c: 'open' }));
    // b has two targets: one finished leaves it open.
    expect(tallyOutcomes(rollout, tally(['a/shop', 'b/shop']))).toEqual(outcomes({ a: 'succeeded', b: 'open', c: 'open' }));
    expect(tallyOutcomes(rollout, tally(['a/shop', 'b/shop', 'b/audit']))).toEqual(outcomes({ a: 'succeeded', b: 'succeeded', c: 'open' }));
    // A failed target fails its cluster at once, even with another still open.
    expect(tallyOutcomes(rollout, tally(['b/audit', 'c/shop'], ['b/audit']))).toEqual(outcomes({ a: 'open', b: 'failed', c: 'succeeded' }));
  });

  it('gives no answer without recorded namespaces or when the tally counts other targets than recorded', () => {
    expect(tallyOutcomes(newRollout([['a']], settings), tally([]))).toBeUndefined();
    expect(tallyOutcomes(rollout, { ...tally([]), expected: 5 })).toBeUndefined();
  });

  it('decides a rollout as the targets themselves would', () => {
    const started = decideRollout({ rollout, outcomes: tallyOutcomes(rollout, tally([]))!, now });
    expect(started.dispatch).toEqual(['a']);
    const next = decideRollout({ rollout: started.rollout, outcomes: tallyOutcomes(started.rollout, tally(['a/shop']))!, now });
    expect(next.dispatch).toEqual(['b', 'c']);
    expect(next.rollout.namespaces).toEqual(rollout.namespaces);
  });
});
