import type * as z from 'zod';
import type { StoredMap, StoredValue } from './attribute-value.ts';
import { ConflictError } from '../../engine/ports/conflict-error.ts';
import { conflictOnConditionFailure } from './conflict-error.ts';
import { itemAbsent, versionIs, type Key, type QueryOptions, type Table } from './table.ts';
import { type Versioned, type VersionedWrites } from '../../engine/ports/store.ts';

/** How one kind of record sits in the table. */
export interface RecordLayout<T extends Versioned> {
  /** The word used in conflict messages: "cluster beijing-1 already exists". */
  entity: string;
  /** Validates what comes back from the table (the table is a boundary too). */
  schema: z.ZodType<T>;
  /** Fields holding user-shaped data (maps, lists): stored as JSON text, so no emulator quirk touches them. */
  jsonFields: readonly (keyof T & string)[];
  key(record: T): Key;
  /** Attributes kept beside the record's own, derived from it at every write (a small extract a listing can project). */
  derived?(record: T): StoredMap;
  /** The item's place in the group index (gsi1), if it is listed there. */
  group?(record: T): { gsi1pk: string; gsi1sk: string };
  /** How a record is named in messages, e.g. `default/example-app`. */
  label(record: T): string;
}

/**
 * Versioned records of one kind: create refuses a taken key, replace and remove insist on the version the caller read.
 * Every aggregate store is built from these, so the concurrency rule is written once.
 */
export class RecordTable<T extends Versioned> implements VersionedWrites<T> {
  readonly #table: Table;
  readonly #layout: RecordLayout<T>;

  constructor(table: Table, layout: RecordLayout<T>) {
    this.#table = table;
    this.#layout = layout;
  }

  /** Stores built on this add their own `get`/`list` in their own words. */
  protected async read(key: Key): Promise<T | undefined> {
    const item = await this.#table.get(key);
    return item ? this.#decode(item) : undefined;
  }

  protected async readAll(options: QueryOptions): Promise<T[]> {
    return (await this.#table.query(options)).map((item) => this.#decode(item));
  }

  /** A record of this kind from an item read elsewhere (a batch read of several kinds). */
  fromItem(item: Record<string, unknown>): T {
    return this.#decode(item);
  }

  /** Stores `record` as version 1; ConflictError('already-exists') if the key is taken. */
  async create(record: T): Promise<T> {
    const stored = { ...record, version: 1 };
    await conflictOnConditionFailure(this.#table.put(this.#encode(stored), itemAbsent), () => this.#conflict(stored, 'already-exists'));
    return stored;
  }

  /**
   * Stores each record as version 1 without any condition, 25 to a request: only for keys no one else can be writing
   * (the caller holds a claim on them), since an existing item would be overwritten.
   */
  protected async createAllUnconditionally(records: readonly T[]): Promise<T[]> {
    const stored = records.map((record) => ({ ...record, version: 1 }));
    await this.#table.putAll(stored.map((record) => this.#encode(record)));
    return stored;
  }

  /** Overwrites the record read at `expectedVersion`; ConflictError('changed') if it moved on or is gone. */
  async replace(record: T, expectedVersion: number): Promise<T> {
    const stored = { ...record, version: expectedVersion + 1 };
    await conflictOnConditionFailure(this.#table.put(this.#encode(stored), versionIs(expectedVersion)), () =>
      this.#conflict(stored, 'changed'),
    );
    return stored;
  }

  async remove(record: T, expectedVersion: number): Promise<void> {
    await conflictOnConditionFailure(this.#table.delete(this.#layout.key(record), versionIs(expectedVersion)), () =>
      this.#conflict(record, 'changed'),
    );
  }

  #encode(record: T): StoredMap & Key {
    const jsonFields: readonly string[] = this.#layout.jsonFields;
    const attributes: Record<string, StoredValue | undefined> = {};
    for (const [field, value] of Object.entries(record)) {
      const asJson = jsonFields.includes(field) && value !== undefined;
      attributes[field] = asJson ? JSON.stringify(value) : (value as StoredValue | undefined);
    }
    return { ...attributes, ...this.#layout.derived?.(record), ...this.#layout.group?.(record), ...this.#layout.key(record) };
  }

  #decode(item: Record<string, unknown>): T {
    const fields: Record<string, unknown> = { ...item };
    for (const field of this.#layout.jsonFields) {
      const text = fields[field];
      if (typeof text === 'string') fields[field] = JSON.parse(text);
    }
    return this.#layout.schema.parse(fields);
  }

  #conflict(record: T, reason: 'already-exists' | 'changed'): ConflictError {
    return new ConflictError(this.#layout.entity, this.#layout.label(record), reason);
  }
}
