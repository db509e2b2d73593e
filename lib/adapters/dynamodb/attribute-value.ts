import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * What the store writes into an item attribute. Deliberately small: user-shaped data (specs, labels, health) is stored
 * as JSON text, so only scalars, string sets and a few fixed maps reach DynamoDB's own types.
 */
export type StoredValue = string | number | boolean | null | ReadonlySet<string> | readonly StoredValue[] | StoredMap;
export interface StoredMap {
  readonly [key: string]: StoredValue | undefined;
}

export type Item = Record<string, AttributeValue>;

/**
 * Drops undefined members, as the store never means "write an undefined". Built with Object.fromEntries (own data
 * properties) rather than `item[key] =`, so a key named "__proto__" is kept as a key instead of setting the prototype.
 */
export function marshallItem(record: StoredMap): Item {
  return Object.fromEntries(
    Object.entries(record).flatMap(([key, value]) => (value === undefined ? [] : [[key, marshallValue(value)]])),
  ) as Item;
}

export function marshallValue(value: StoredValue): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot store the number ${value}`);
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Set) {
    // DynamoDB has no empty set; an empty set is written as "absent" by the callers.
    if (value.size === 0) throw new TypeError('cannot store an empty set');
    return { SS: [...value] };
  }
  if (Array.isArray(value)) return { L: value.map((member: StoredValue) => marshallValue(member)) };
  return { M: marshallItem(value as StoredMap) };
}

/** Plain JavaScript values: sets come back as `Set<string>`, numbers as numbers. The caller validates with zod. */
export function unmarshallItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, unmarshallValue(value)]));
}

export function unmarshallValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.L !== undefined) return value.L.map(unmarshallValue);
  if (value.M !== undefined) return unmarshallItem(value.M);
  throw new TypeError(`unsupported attribute type ${Object.keys(value).join(',')}`);
}
