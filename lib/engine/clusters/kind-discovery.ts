import { setTimeout as sleep } from 'node:timers/promises';
import { UnknownClusterError } from '../../core/cluster/cluster-errors.ts';
import type { ClusterRecord } from '../../core/cluster/cluster-record.ts';
import { freshKindScopes, withDiscovered } from '../../core/cluster/kind-discovery.ts';
import { kindKey, type ClusterKindScopes, type KindRef, type KindScopes } from '../../core/object/kind-scopes.ts';
import type { Engine } from '../context.ts';
import { maxDiscoverKinds } from '../messages/applier-message.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import type { ClusterStore } from '../ports/store.ts';
import type { WorkQueues } from '../ports/work-queues.ts';

const maxWriteRounds = 5;

/**
 * The applier's side of a discovery request: asks the cluster (its client caches answers briefly) and records them on
 * the cluster record, bound to the credential version, where the API and the planner read them. Returns the count.
 */
export async function recordDiscovery(engine: Engine, cluster: string, kinds: readonly KindRef[]): Promise<number> {
  const client = await engine.clusterClient(cluster);
  const answers = await client.kindScopes(kinds);
  for (let round = 1; ; round++) {
    const record = await engine.store.clusters.get(cluster);
    if (!record) throw new UnknownClusterError(cluster);
    const discovery = withDiscovered(record.discovery, record.credentialVersion, answers, engine.now());
    try {
      // Not a change anyone made to the cluster: updatedAt stays.
      await engine.store.clusters.replace({ ...record, discovery }, record.version);
      return Object.keys(answers).length;
    } catch (err) {
      if (!(err instanceof ConflictError) || round >= maxWriteRounds) throw err;
    }
  }
}

/** The answers stored on each record that are still fresh, by cluster. */
export function storedKindScopes(records: readonly ClusterRecord[], now: Date): ClusterKindScopes {
  return Object.fromEntries(records.map((record) => [record.name, freshKindScopes(record.discovery, record.credentialVersion, now)]));
}

export interface DiscoveryDeps {
  clusters: ClusterStore;
  queues: WorkQueues;
  now(): Date;
}

/**
 * Discovery answers for the API, which cannot open cluster credentials: fresh stored answers are used as they are; for
 * the rest, the applier is asked through the delay queue (as a probe is) and the records are watched until its answers
 * land or `waitMs` passes. Kinds still unanswered are left out, and confinement refuses them.
 */
export async function discoverKinds(
  deps: DiscoveryDeps,
  records: readonly ClusterRecord[],
  wanted: ReadonlyMap<string, readonly KindRef[]>,
  waitMs = 8_000,
): Promise<ClusterKindScopes> {
  const answers: Record<string, KindScopes> = {};
  const missing = new Map<string, KindRef[]>();
  const byName = new Map(records.map((record) => [record.name, record]));
  const now = deps.now();
  for (const [cluster, kinds] of wanted) {
    const record = byName.get(cluster);
    // A cluster that is not registered, or not accepted by its latest probe, would not answer.
    if (!record?.accepted) continue;
    const fresh = freshKindScopes(record.discovery, record.credentialVersion, now);
    answers[cluster] = fresh;
    const unanswered = kinds.filter((kind) => fresh[kindKey(kind)] === undefined).slice(0, maxDiscoverKinds);
    if (unanswered.length > 0) missing.set(cluster, unanswered);
  }
  if (missing.size === 0) return answers;

  const requestedAt = deps.now();
  await Promise.all([...missing].map(([cluster, kinds]) => deps.queues.unordered({ kind: 'discover', cluster, kinds, requestedAt: requestedAt.toISOString() }, 0)));
  const deadline = Date.now() + waitMs;
  while (missing.size > 0 && Date.now() < deadline) {
    await sleep(200);
    for (const [cluster, kinds] of missing) {
      const record = await deps.clusters.get(cluster);
      if (!record) {
        missing.delete(cluster);
        continue;
      }
      const landed = freshKindScopes(record.discovery, record.credentialVersion, deps.now(), requestedAt);
      if (kinds.every((kind) => landed[kindKey(kind)] !== undefined)) {
        answers[cluster] = { ...answers[cluster], ...landed };
        missing.delete(cluster);
      }
    }
  }
  return answers;
}
