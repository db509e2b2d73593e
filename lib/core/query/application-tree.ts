import * as z from 'zod';
import { objectKey, type KubernetesObject } from '../object/kubernetes-object.ts';
import { objectIdentity } from './object-identity.ts';
import { OamLabel } from '../render/oam-labels.ts';
import type { ServiceHealthDetail } from '../run/health-detail.ts';
import { FieldChangeSchema } from './diff-schemas.ts';
import type { LiveObjectDiff } from './cluster-query.ts';

/**
 * Drift of one object: `none` when a server-side dry run of what was applied changes nothing, `drifted` when it would
 * change fields (someone edited the live object), `missing` when the object is gone, `unknown` when the cluster did
 * not answer in time.
 */
export const Drift = z.enum(['none', 'drifted', 'missing', 'unknown']);
export type Drift = z.infer<typeof Drift>;

export const TreeObject = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
  component: z.string().optional(),
  /** The health of the object's component, as last read by the applier; absent when none was read. */
  healthy: z.boolean().optional(),
  message: z.string().optional(),
  drift: Drift,
  /** For `drifted`: the fields a re-apply would set back. */
  driftedFields: z.array(FieldChangeSchema).optional(),
});
export type TreeObject = z.infer<typeof TreeObject>;

export const TreeCluster = z.object({
  cluster: z.string().min(1),
  namespace: z.string().min(1),
  objects: z.array(TreeObject),
});

/** `vela status --tree`: cluster -> objects, each with its component's health and its drift. */
export const ApplicationTree = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  /** The revision the newest run deployed; absent before any run. */
  revision: z.string().optional(),
  clusters: z.array(TreeCluster),
  /** When drift could not be read everywhere: why (a cluster took longer than the wait). */
  message: z.string().optional(),
});
export type ApplicationTree = z.infer<typeof ApplicationTree>;

export interface TreeTarget {
  cluster: string;
  namespace: string;
  resources: readonly KubernetesObject[];
  services: readonly ServiceHealthDetail[];
  /** The live diff of `resources`, when the cluster answered. */
  live?: readonly LiveObjectDiff[] | undefined;
}

/** Builds one cluster's branch from what a target applied, its health reading and a live diff of the same objects. */
export function treeOf(target: TreeTarget): z.infer<typeof TreeCluster> {
  const health = new Map(target.services.map((service) => [service.component, service]));
  const live = new Map((target.live ?? []).map((diff) => [liveKey(diff), diff]));
  const objects = target.resources.map((object): TreeObject => {
    const component = object.metadata.labels?.[OamLabel.component];
    const service = component === undefined ? undefined : health.get(component);
    const diff = target.live === undefined ? undefined : live.get(objectKey(object));
    return {
      ...objectIdentity(object),
      ...(service === undefined ? {} : { healthy: service.healthy, message: service.message }),
      ...driftOf(diff),
    };
  });
  return { cluster: target.cluster, namespace: target.namespace, objects };
}

function driftOf(diff: LiveObjectDiff | undefined): Pick<TreeObject, 'drift' | 'driftedFields'> {
  if (diff === undefined || diff.change === 'unknown') return { drift: 'unknown' };
  if (diff.change === 'added') return { drift: 'missing' };
  if (diff.change === 'changed') return { drift: 'drifted', ...(diff.fields === undefined ? {} : { driftedFields: diff.fields }) };
  return { drift: 'none' };
}

function liveKey(diff: LiveObjectDiff): string {
  return objectKey({ apiVersion: diff.apiVersion, kind: diff.kind, metadata: { name: diff.name, ...(diff.namespace === undefined ? {} : { namespace: diff.namespace }) } });
}
