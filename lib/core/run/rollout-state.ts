import * as z from 'zod';
import { OnFailure } from '../workflow/rollout.ts';
import { placementOfTargetName, type StepTally, type TargetPlacement } from './target.ts';

export const WavePhase = z.enum(['pending', 'running', 'healthy', 'failed']);
export type WavePhase = z.infer<typeof WavePhase>;

export const WaveState = z.object({
  /** Decided when the step started and never recomputed: a cluster joined later joins no wave of this run. */
  clusters: z.array(z.string().min(1)),
  phase: WavePhase,
  /** Clusters whose apply orders were sent (at most `parallelism` open at once). */
  dispatched: z.array(z.string().min(1)).default([]),
  /** Clusters with a failed target, once the wave has finished. */
  failed: z.array(z.string().min(1)).optional(),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
});
export type WaveState = z.infer<typeof WaveState>;

/** A deploy step's rollout as the planner recorded it when the step started, and how far it has got. */
export const RolloutState = z.object({
  waves: z.array(WaveState).min(1),
  /** Clusters open at once; absent: no limit. */
  parallelism: z.int().min(1).optional(),
  /**
   * A plain deploy step with `parallelism` (no `rollout`): one wave of all its clusters, only to hold them to that many
   * at once. It publishes no wave events and has no waveTimeout (the step's timeout is the only deadline).
   */
  parallelismOnly: z.literal(true).optional(),
  maxUnavailableClusters: z.int().min(0),
  pauseSeconds: z.number().nonnegative().optional(),
  /** A wave's clusters still waiting this long after the wave started are failed by the planner. */
  waveTimeoutSeconds: z.number().positive().optional(),
  approval: z.boolean(),
  onFailure: OnFailure,
  /**
   * The namespaces of each cluster's targets as the step placed them: `each` for every cluster not named in `except`
   * (usually every cluster has the same). With it an advance judges clusters from the step's tally and reads only the
   * targets it dispatches; rollouts recorded before it was kept have none, and their advances list the step's targets.
   */
  namespaces: z.object({ each: z.array(z.string().min(1)), except: z.record(z.string(), z.array(z.string().min(1))).optional() }).optional(),
});
export type RolloutState = z.infer<typeof RolloutState>;
export type ClusterNamespaces = NonNullable<RolloutState['namespaces']>;

/** What the targets of one cluster say: still open, all succeeded (healthy after their apply), or one failed. */
export type ClusterOutcome = 'open' | 'succeeded' | 'failed';

export interface RolloutFacts {
  rollout: RolloutState;
  /** Per cluster of the step; a cluster missing here has no target (it counts as open). */
  outcomes: ReadonlyMap<string, ClusterOutcome>;
  now: Date;
}

export interface RolloutDecision {
  rollout: RolloutState;
  /** Clusters whose apply orders go out now (recorded as dispatched first). */
  dispatch: string[];
  /** The rollout stops here: the step suspends (approval, pause) or fails (rollback) with this message. */
  stop?: { kind: 'approval' | 'pause' | 'rollback'; message: string };
  /** Clusters of the running wave past its waveTimeout: the planner fails their open targets, then decides again. */
  expire: { clusters: string[]; message: string };
  /** Look again then (the soak time after a healthy wave, the running wave's timeout). */
  wakeAt?: Date;
  changed: boolean;
}

/** The step's waves after `rollout` began: every wave recorded pending, nothing dispatched. */
export function newRollout(waves: readonly string[][], settings: Omit<RolloutState, 'waves'>): RolloutState {
  return { ...settings, waves: waves.map((clusters) => ({ clusters: [...clusters], phase: 'pending', dispatched: [] })) };
}

/** The namespaces of `clusters` in `placements`, as RolloutState records them: the most common set once, the others by cluster. */
export function clusterNamespaces(clusters: readonly string[], placements: readonly TargetPlacement[]): ClusterNamespaces {
  const byCluster = new Map<string, string[]>(clusters.map((cluster) => [cluster, []]));
  for (const placement of placements) byCluster.get(placement.cluster)?.push(placement.namespace);
  const sets = new Map<string, { namespaces: string[]; clusters: number }>();
  for (const namespaces of byCluster.values()) {
    namespaces.sort();
    const key = JSON.stringify(namespaces);
    const seen = sets.get(key) ?? { namespaces, clusters: 0 };
    sets.set(key, { ...seen, clusters: seen.clusters + 1 });
  }
  const each = [...sets.values()].reduce<{ namespaces: string[]; clusters: number } | undefined>((best, set) => (best === undefined || set.clusters > best.clusters ? set : best), undefined)?.namespaces ?? [];
  const except = Object.fromEntries([...byCluster].filter(([, namespaces]) => JSON.stringify(namespaces) !== JSON.stringify(each)));
  return Object.keys(except).length > 0 ? { each, except } : { each };
}

/** The placements of `clusters` as the rollout recorded them; undefined for a rollout recorded without namespaces. */
export function rolloutPlacements(rollout: RolloutState, clusters: readonly string[]): TargetPlacement[] | undefined {
  const recorded = rollout.namespaces;
  if (!recorded) return undefined;
  return clusters.flatMap((cluster) => (recorded.except?.[cluster] ?? recorded.each).map((namespace) => ({ cluster, namespace })));
}

/**
 * Each cluster's outcome from the step's tally alone (see ClusterOutcome): failed once one of its targets failed,
 * succeeded once all of them finished, open before. Undefined when the rollout recorded no namespaces or the tally
 * counts other targets than it recorded (then the targets themselves must be read).
 */
export function tallyOutcomes(rollout: RolloutState, tally: StepTally): Map<string, ClusterOutcome> | undefined {
  const recorded = rollout.namespaces;
  if (!recorded) return undefined;
  const clusters = rollout.waves.flatMap((wave) => wave.clusters);
  const expected = new Map(clusters.map((cluster) => [cluster, (recorded.except?.[cluster] ?? recorded.each).length]));
  if ([...expected.values()].reduce((sum, count) => sum + count, 0) !== tally.expected) return undefined;
  const finished = new Map<string, number>();
  for (const name of tally.finished) {
    const { cluster } = placementOfTargetName(name);
    finished.set(cluster, (finished.get(cluster) ?? 0) + 1);
  }
  const failed = new Set([...tally.failed].map((name) => placementOfTargetName(name).cluster));
  const outcomes = new Map<string, ClusterOutcome>();
  for (const [cluster, count] of expected) {
    // A cluster with no target stays open, as it does when the targets are read (clusterOutcomes).
    if (count === 0) continue;
    outcomes.set(cluster, failed.has(cluster) ? 'failed' : (finished.get(cluster) ?? 0) >= count ? 'succeeded' : 'open');
  }
  return outcomes;
}

/** Clusters whose orders may be sent (and re-sent): a cluster of a wave not yet started has nothing in flight. */
export function dispatchedClusters(rollout: RolloutState): Set<string> {
  return new Set(rollout.waves.flatMap((wave) => wave.dispatched));
}

const describeWave = (index: number, rollout: RolloutState) => `wave ${index + 1} of ${rollout.waves.length}`;

/**
 * The pure rule of a rollout: the first unfinished wave is filled up to `parallelism` open clusters; once every
 * cluster of it has finished, it is healthy when at most `maxUnavailableClusters` failed. A healthy wave lets the next
 * start after the soak time (or suspends for approval); a failed one stops the rollout as `onFailure` says, or lets
 * the next start (`continue`). The last wave never stops anything: the step closes from its tally as any deploy step.
 */
export function decideRollout(facts: RolloutFacts): RolloutDecision {
  const { now } = facts;
  const at = now.toISOString();
  const rollout: RolloutState = { ...facts.rollout, waves: facts.rollout.waves.map((wave) => ({ ...wave, dispatched: [...wave.dispatched] })) };
  const decision: RolloutDecision = { rollout, dispatch: [], expire: { clusters: [], message: '' }, changed: false };
  const outcome = (cluster: string) => facts.outcomes.get(cluster) ?? 'open';

  for (let index = 0; index < rollout.waves.length; index++) {
    const wave = rollout.waves[index]!;
    if (wave.phase === 'healthy' || wave.phase === 'failed') continue;
    if (wave.phase === 'pending') {
      const previous = rollout.waves[index - 1];
      const soakUntil = previous?.finishedAt !== undefined && previous.phase === 'healthy' && rollout.pauseSeconds ? new Date(Date.parse(previous.finishedAt) + rollout.pauseSeconds * 1000) : undefined;
      if (soakUntil !== undefined && soakUntil > now) {
        decision.wakeAt = soakUntil;
        break;
      }
      Object.assign(wave, { phase: 'running', startedAt: at });
    }
    const open = wave.dispatched.filter((cluster) => outcome(cluster) === 'open').length;
    const room = rollout.parallelism === undefined ? Infinity : Math.max(0, rollout.parallelism - open);
    const next = wave.clusters.filter((cluster) => !wave.dispatched.includes(cluster)).slice(0, room);
    const waveDeadline = rollout.waveTimeoutSeconds === undefined ? undefined : new Date(Date.parse(wave.startedAt ?? at) + rollout.waveTimeoutSeconds * 1000);
    const waiting = wave.clusters.filter((cluster) => outcome(cluster) === 'open');
    if (waiting.length > 0 && waveDeadline !== undefined && waveDeadline <= now) {
      // Past its timeout the wave sends nothing more; its waiting clusters fail and the wave is judged next time.
      decision.expire = { clusters: waiting, message: `${describeWave(index, rollout)} not healthy within waveTimeout ${rollout.waveTimeoutSeconds}s` };
      break;
    }
    wave.dispatched.push(...next);
    decision.dispatch.push(...next);
    if (waiting.length > 0) {
      if (waveDeadline !== undefined) decision.wakeAt = waveDeadline;
      break;
    }

    const failed = wave.clusters.filter((cluster) => outcome(cluster) === 'failed');
    const healthy = failed.length <= rollout.maxUnavailableClusters;
    Object.assign(wave, { phase: healthy ? 'healthy' : 'failed', finishedAt: at, ...(failed.length > 0 ? { failed } : {}) });
    const last = index === rollout.waves.length - 1;
    if (last) break;
    const name = describeWave(index, rollout);
    if (!healthy && rollout.onFailure !== 'continue') {
      const why = `${name} failed: ${failed.length} of ${wave.clusters.length} clusters failed (${failed.join(', ')}), more than maxUnavailableClusters ${rollout.maxUnavailableClusters}`;
      decision.stop =
        rollout.onFailure === 'pause'
          ? { kind: 'pause', message: `${why}; rollout paused before ${describeWave(index + 1, rollout)}: fix and submit again, or \`flotilla workflow resume\` to go on` }
          : { kind: 'rollback', message: `${why}; rolling back to the previous succeeded revision` };
      break;
    }
    if (healthy && rollout.approval) {
      decision.stop = { kind: 'approval', message: `${name} healthy (${wave.clusters.join(', ')}); waiting for approval: \`flotilla workflow resume\` starts ${describeWave(index + 1, rollout)}` };
      break;
    }
  }
  decision.changed = JSON.stringify(rollout) !== JSON.stringify(facts.rollout);
  return decision;
}
