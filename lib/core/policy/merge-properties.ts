import { isPlainObject } from '../object/read-field.ts';

/**
 * Merges override properties into component properties the way KubeVela does (mergo `Merge(..., WithOverride)`):
 * maps merge recursively; lists are replaced whole; scalars are replaced, falsy ones (`false`, `0`, `""`) included;
 * an explicit null is kept as a null value rather than deleting the key. Neither input is modified.
 *
 * One deliberate difference: mergo silently ignores a map patched over a non-empty scalar; Flotilla replaces the
 * scalar, because dropping a patch without a word hides the mistake.
 */
export function mergeProperties(base: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeProperties(current, value) : structuredClone(value);
  }
  return merged;
}
