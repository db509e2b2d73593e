import type * as z from 'zod';
import type { ApplicationTree, DiffResult, QueryView } from '../../contract/query-schemas.ts';
import type { Colors } from './terminal.ts';
import { renderTable } from './table.ts';

type Diff = z.infer<typeof DiffResult>;
type Tree = z.infer<typeof ApplicationTree>;
type ObjectLine = { kind: string; name: string; namespace?: string | undefined };

const sign = { added: '+', changed: '~', removed: '-', unchanged: ' ', unknown: '?' } as const;

function objectName(object: ObjectLine): string {
  return `${object.kind} ${object.namespace === undefined ? object.name : `${object.namespace}/${object.name}`}`;
}

function value(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function fieldLines(fields: readonly { path: string; before?: unknown; after?: unknown }[] | undefined, more: number | undefined, indent: string): string {
  const lines = (fields ?? []).map((field) => `${indent}${field.path}: ${value(field.before)} -> ${value(field.after)}\n`);
  if (more !== undefined && more > 0) lines.push(`${indent}... and ${more} more fields\n`);
  return lines.join('');
}

/** `flotilla diff`: per cluster, one line per object with +, ~ or -, and the changed fields under each ~. */
export function diffText(diff: Diff, colors: Colors): string {
  const paint = { added: colors.green, changed: colors.yellow, removed: colors.red, unchanged: (text: string) => text, unknown: colors.magenta };
  const against = diff.current === undefined ? `${diff.name} is not deployed: every object is new` : `against ${diff.current}`;
  let out = `Diff of ${diff.namespace}/${diff.name} ${against}\n`;
  for (const cluster of diff.clusters) {
    const changed = cluster.objects.filter((object) => object.change !== 'unchanged');
    out += `\nCluster ${cluster.cluster}: ${changed.length === 0 ? 'no changes' : `${count(changed, 'added')} added, ${count(changed, 'changed')} changed, ${count(changed, 'removed')} removed`}\n`;
    for (const object of changed) {
      out += paint[object.change](`  ${sign[object.change]} ${objectName(object)}${object.component === undefined ? '' : ` (component ${object.component})`}`) + '\n';
      out += fieldLines(object.fields, object.moreFields, '      ');
    }
  }
  if (diff.live !== undefined) out += liveDiffText(diff.live, colors);
  return out;
}

function count(objects: readonly { change: string }[], change: string): number {
  return objects.filter((object) => object.change === change).length;
}

/** The server-side dry run: what each cluster would change on its live objects. */
export function liveDiffText(view: QueryView, colors: Colors): string {
  let out = `\nLive (server-side dry run in each cluster)${view.done ? '' : `; still waiting for some clusters: ${view.poll}`}\n`;
  for (const part of view.parts) {
    out += `\nCluster ${part.cluster} (${part.namespace}): ${part.state}${part.message === undefined ? '' : ` - ${part.message}`}\n`;
    if (part.answer?.kind !== 'live-diff') continue;
    for (const object of part.answer.objects) {
      const line = `  ${sign[object.change]} ${objectName(object)}: ${object.change === 'unchanged' ? 'the cluster would change nothing' : object.change}${object.error === undefined ? '' : ` (${object.error})`}`;
      out += (object.change === 'unknown' ? colors.magenta(line) : object.change === 'unchanged' ? line : colors.yellow(line)) + '\n';
      out += fieldLines(object.fields, object.moreFields, '      ');
    }
  }
  return out;
}

/** `flotilla status --tree`: cluster -> objects, with health and drift. */
export function treeText(tree: Tree, colors: Colors): string {
  let out = `${tree.namespace}/${tree.name}${tree.revision === undefined ? ' (no workflow run yet)' : ` at ${tree.revision}`}\n`;
  tree.clusters.forEach((cluster, index) => {
    const last = index === tree.clusters.length - 1;
    out += `${last ? '└─' : '├─'} ${cluster.cluster} (namespace ${cluster.namespace})\n`;
    const rows = cluster.objects.map((object, position) => {
      const branch = `${last ? '   ' : '│  '}${position === cluster.objects.length - 1 ? '└─' : '├─'}`;
      const health = object.healthy === undefined ? '-' : object.healthy ? colors.green('healthy') : colors.red('unhealthy');
      const drift = object.drift === 'none' ? 'no drift' : object.drift === 'drifted' ? colors.yellow(`drifted: ${(object.driftedFields ?? []).map((field) => field.path).join(', ')}`) : colors.magenta(object.drift === 'missing' ? 'missing' : 'drift unknown');
      return [`${branch} ${object.kind}/${object.name}`, object.component ?? '-', health, drift];
    });
    out += renderTable(rows);
  });
  if (tree.message !== undefined) out += `${tree.message}\n`;
  return out;
}

/** `flotilla status --endpoint`: a table of cluster, component, object and address, like `vela status --endpoint`. */
export function endpointsText(view: QueryView): string {
  const rows: string[][] = [['CLUSTER', 'COMPONENT', 'REF(KIND/NAMESPACE/NAME)', 'ENDPOINT']];
  const notes: string[] = [];
  for (const part of view.parts) {
    if (part.state !== 'done') notes.push(`${part.cluster}: ${part.state === 'pending' ? `no answer yet (${view.poll})` : (part.message ?? 'failed')}`);
    if (part.answer?.kind !== 'endpoints') continue;
    for (const endpoint of part.answer.endpoints) {
      const ref = `${endpoint.kind}/${part.namespace}/${endpoint.name}`;
      const addresses = endpoint.addresses.length === 0 ? ['(no address yet)'] : endpoint.addresses;
      for (const address of addresses) rows.push([part.cluster, endpoint.component ?? '-', ref, address]);
    }
  }
  if (rows.length === 1 && notes.length === 0) return `${view.name} has no Service or Ingress.\n`;
  return renderTable(rows) + notes.map((note) => `${note}\n`).join('');
}

/** `flotilla logs`: each container's lines under a header naming cluster, pod and container. */
export function logsText(view: QueryView & { follow: string[] }, colors: Colors): string {
  let out = '';
  for (const part of view.parts) {
    if (part.state !== 'done') {
      out += colors.magenta(`== ${part.cluster}: ${part.state === 'pending' ? `no answer yet (${view.poll})` : (part.message ?? 'failed')}`) + '\n';
      continue;
    }
    if (part.answer?.kind !== 'logs') continue;
    for (const log of part.answer.logs) {
      out += colors.bold(`== ${part.cluster} ${part.namespace}/${log.pod} ${log.container} (component ${log.component})`) + '\n';
      out += log.error === undefined ? log.text + (log.text === '' || log.text.endsWith('\n') ? '' : '\n') : colors.red(`(${log.error})`) + '\n';
    }
    if (part.answer.skippedPods > 0) out += `${part.cluster}: ${part.answer.skippedPods} more pods not shown\n`;
    if (part.message !== undefined) out += `${part.cluster}: ${part.message}\n`;
  }
  return out;
}
