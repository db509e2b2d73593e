import type { ClusterInfo } from '../policy/cluster-info.ts';
import type { RolloutProperties } from './rollout.ts';

/**
 * Which clusters go into which wave, decided once when the step starts. Clusters are ordered by the first `order`
 * entry (`label=value`) they match, unmatched ones last, then by name; each wave's size is cumulative, a percentage of
 * the clusters rounded up, a count capped at the number of clusters. A wave that adds no cluster is left out, and
 * clusters beyond the last wave form one more wave, so every placed cluster is deployed.
 */
export function assignWaves(clusters: readonly ClusterInfo[], rollout: Pick<RolloutProperties, 'waves' | 'order'>): string[][] {
  const unique = [...new Map(clusters.map((cluster) => [cluster.name, cluster])).values()];
  const ordered = unique.sort((a, b) => orderRank(a, rollout.order) - orderRank(b, rollout.order) || compareNames(a.name, b.name));
  const total = ordered.length;
  const waves: string[][] = [];
  let placed = 0;
  for (const size of [...rollout.waves, `${Math.max(total, 1)}`]) {
    const cumulative = Math.min(total, Math.max(placed, cumulativeSize(size, total)));
    if (cumulative > placed) waves.push(ordered.slice(placed, cumulative).map((cluster) => cluster.name));
    placed = cumulative;
  }
  return waves;
}

/** The number of clusters a wave size reaches: `25%` of 12 is 3, of 10 is 3 (rounded up), `5` is 5. */
export function cumulativeSize(size: string, total: number): number {
  const value = Number.parseInt(size, 10);
  return size.endsWith('%') ? Math.ceil((value * total) / 100) : value;
}

function orderRank(cluster: ClusterInfo, order: readonly string[] | undefined): number {
  if (order === undefined) return 0;
  const index = order.findIndex((entry) => {
    const [key = '', value = ''] = entry.split('=');
    return cluster.labels[key] === value;
  });
  return index === -1 ? order.length : index;
}

/** Code-point order, so the assignment never depends on the runtime's locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
