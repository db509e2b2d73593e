import type { KubernetesObject } from '../object/kubernetes-object.ts';

/** One field that differs between two versions of an object, by its path (`spec.template.spec.containers[0].image`). */
export interface FieldChange {
  path: string;
  /** Absent when the field does not exist on that side. */
  before?: unknown;
  after?: unknown;
}

/** At most this many changed fields are listed per object; the rest are counted. */
export const MAX_FIELD_CHANGES = 50;
/** Values longer than this (as JSON) are shortened in a change, so one ConfigMap does not fill the answer. */
const MAX_VALUE_CHARS = 200;

/**
 * Fields the API server owns, which differ between any rendering and any live object and say nothing about what the
 * user changed: identity, bookkeeping and status.
 */
const serverOwned = new Set([
  'metadata.managedFields',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.uid',
  'metadata.creationTimestamp',
  'metadata.selfLink',
  'metadata.finalizers',
  'metadata.ownerReferences',
  'status',
]);

export interface ObjectChanges {
  changes: FieldChange[];
  /** How many changes were found past MAX_FIELD_CHANGES. */
  more: number;
}

/** What differs between two versions of one object, leaves first; server-owned fields are left out. */
export function diffObject(before: KubernetesObject | Record<string, unknown>, after: KubernetesObject | Record<string, unknown>): ObjectChanges {
  const changes: FieldChange[] = [];
  let more = 0;
  const add = (change: FieldChange) => {
    if (changes.length < MAX_FIELD_CHANGES) changes.push(change);
    else more++;
  };
  walk(before, after, '', add);
  return { changes, more };
}

function walk(before: unknown, after: unknown, path: string, add: (change: FieldChange) => void): void {
  if (serverOwned.has(path)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], path === '' ? key : `${path}.${key}`, add);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, index) => walk(item, after[index], `${path}[${index}]`, add));
    return;
  }
  if (sameJson(before, after)) return;
  add({ path, ...(before === undefined ? {} : { before: shortened(before) }), ...(after === undefined ? {} : { after: shortened(after) }) });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function shortened(value: unknown): unknown {
  const json = JSON.stringify(value);
  if (json === undefined || json.length <= MAX_VALUE_CHARS) return value;
  return `${json.slice(0, MAX_VALUE_CHARS)}… (${json.length} characters)`;
}
