import { describeObject, objectKey, type KubernetesObject } from '../object/kubernetes-object.ts';
import { objectIdentity } from './object-identity.ts';
import { diffObject, type FieldChange } from './object-diff.ts';

/** What one object would do: appear, change (with the fields), go, or stay as it is. */
export type ObjectChange = 'added' | 'changed' | 'removed' | 'unchanged';

export interface ObjectDiff {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  component?: string;
  change: ObjectChange;
  /** For `changed`: the fields that differ, up to MAX_FIELD_CHANGES. */
  fields?: FieldChange[];
  /** Changed fields past the listed ones. */
  moreFields?: number;
}

export interface ClusterDiff {
  cluster: string;
  objects: ObjectDiff[];
}

/** The objects a revision puts in one cluster (all of its steps' placements there). */
export interface PlacedObjects {
  cluster: string;
  resources: readonly KubernetesObject[];
}

/**
 * Per cluster and object, what applying `after` would do where `before` is deployed. Both renderings come from the
 * planner with the same revision label, so the label does not count as a change. Clusters in workflow order, objects
 * in apply order, removed objects last.
 */
export function diffRevisions(before: readonly PlacedObjects[], after: readonly PlacedObjects[]): ClusterDiff[] {
  const clusters = [...new Set([...after.map((p) => p.cluster), ...before.map((p) => p.cluster)])];
  return clusters.map((cluster) => {
    const old = objectsIn(before, cluster);
    const next = objectsIn(after, cluster);
    const objects: ObjectDiff[] = [];
    for (const [key, object] of next) {
      const previous = old.get(key);
      if (previous === undefined) objects.push({ ...identity(object), change: 'added' });
      else objects.push(changeOf(previous, object));
    }
    for (const [key, object] of old) if (!next.has(key)) objects.push({ ...identity(object), change: 'removed' });
    return { cluster, objects };
  });
}

/** The change from `before` to `after` of one object; used for the live diff too (live object, dry-run result). */
export function changeOf(before: KubernetesObject, after: KubernetesObject): ObjectDiff & { change: 'changed' | 'unchanged' } {
  const { changes, more } = diffObject(before, after);
  if (changes.length === 0) return { ...identity(after), change: 'unchanged' };
  return { ...identity(after), change: 'changed', fields: changes, ...(more > 0 ? { moreFields: more } : {}) };
}

/** An object's identity as a diff names it. */
export function identity(object: KubernetesObject): Omit<ObjectDiff, 'change'> {
  return objectIdentity(object);
}

function objectsIn(placements: readonly PlacedObjects[], cluster: string): Map<string, KubernetesObject> {
  const objects = new Map<string, KubernetesObject>();
  for (const placement of placements) {
    if (placement.cluster !== cluster) continue;
    // A later step's rendering of the same object is what stays deployed.
    for (const object of placement.resources) objects.set(objectKey(object), object);
  }
  return objects;
}

export function describeDiff(diff: ObjectDiff): string {
  return describeObject({ apiVersion: diff.apiVersion, kind: diff.kind, metadata: { name: diff.name, ...(diff.namespace === undefined ? {} : { namespace: diff.namespace }) } });
}
