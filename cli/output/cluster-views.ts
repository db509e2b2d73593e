import type * as z from 'zod';
import type { ClusterChangeView, ClusterView, DetachClusterResult, JoinClusterResult } from '../../contract/cluster-schemas.ts';
import type { Colors } from '../../lib/core/status/render-status-text.ts';
import { labelLines } from '../labels.ts';
import { renderTable } from './table.ts';

export type Cluster = z.infer<typeof ClusterView>;
type ClusterChange = z.infer<typeof ClusterChangeView>;

/**
 * `vela cluster list` (v1.3 columns): CLUSTER TYPE ENDPOINT ACCEPTED LABELS, labels as `key=value` one per row
 * (sorted), further labels on continuation rows whose other cells are blank.
 */
export function clusterTable(clusters: readonly Cluster[]): string {
  const rows: string[][] = [['CLUSTER', 'TYPE', 'ENDPOINT', 'ACCEPTED', 'LABELS']];
  for (const cluster of clusters) {
    const [first = '', ...more] = labelLines(cluster.labels, plain);
    rows.push([cluster.name, cluster.type, cluster.endpoint, String(cluster.accepted), first]);
    for (const label of more) rows.push(['', '', '', '', label]);
  }
  return renderTable(rows);
}

const plain = { key: (text: string) => text, value: (text: string) => text };

/** `vela cluster join`'s line; a rotation (`--overwrite`) says so instead. */
export function joinedMessage(result: z.infer<typeof JoinClusterResult>): string {
  const { name, endpoint } = result.cluster;
  return result.rotated
    ? `Successfully update credentials for cluster ${name}, endpoint: ${endpoint}.\n`
    : `Successfully add cluster ${name}, endpoint: ${endpoint}.\n`;
}

/** `vela cluster labels add|del`: the line, then every label `key=value` (cyan and green on a terminal). */
export function labelsChangedMessage(cluster: Cluster, colors: Colors): string {
  const lines = [`Successfully update labels for cluster ${cluster.name} (type: ${cluster.type}).`];
  const labels = labelLines(cluster.labels, { key: colors.cyan, value: colors.green });
  lines.push(...(labels.length === 0 ? ['No valid label exists.'] : labels));
  return `${lines.join('\n')}\n`;
}

/** `cluster namespaces`: which namespaces Flotilla may create in the cluster. */
export function creatableNamespacesMessage(cluster: Cluster): string {
  const list = cluster.creatableNamespaces;
  if (list === undefined) return `Flotilla may create any namespace in cluster ${cluster.name} (no limit).\n`;
  if (list.length === 0) return `Flotilla may create no namespaces in cluster ${cluster.name}.\n`;
  return `Flotilla may create only these namespaces in cluster ${cluster.name}: ${list.join(', ')}.\n`;
}

export function renamedMessage(from: string, cluster: Cluster): string {
  return `Rename cluster ${from} to ${cluster.name} successfully.\n`;
}

export function detachedMessage(result: z.infer<typeof DetachClusterResult>): string {
  return `Detach cluster ${result.cluster} successfully.\n`;
}

/** For stderr after a forced detach: what stays behind in the cluster, by application revision. */
export function orphanNotes(result: z.infer<typeof DetachClusterResult>): string {
  return result.orphaned
    .map((entry) => {
      const objects = entry.resources.map((r) => `${r.kind} ${r.namespace === undefined ? '' : `${r.namespace}/`}${r.name}`).join(', ');
      return `Left in cluster ${result.cluster} (no longer managed): application ${entry.application} in namespace ${entry.namespace}, revision ${entry.revision}: ${objects}\n`;
    })
    .join('');
}

/** `vela cluster probe`: the success line, and the Kubernetes version the API server reported. */
export function probedMessage(cluster: Cluster): string {
  const version = cluster.kubernetesVersion === undefined ? '' : `Kubernetes ${cluster.kubernetesVersion}\n`;
  return `Connect to cluster ${cluster.name} successfully.\n${version}`;
}

/** For stderr after a join or label change: the applications that run again because of it, and follow-ups that failed. */
export function clusterChangeNotes(change: Pick<ClusterChange, 'reruns' | 'warnings'>): string {
  const reruns = change.reruns.map(
    (rerun) => `Application ${rerun.name} in namespace ${rerun.namespace} runs ${rerun.revision} again: its cluster label selectors may now select differently.\n`,
  );
  const warnings = change.warnings.map((warning) => `Warning: ${warning}\n`);
  return [...reruns, ...warnings].join('');
}
