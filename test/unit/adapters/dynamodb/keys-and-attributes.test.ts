import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { marshallItem, marshallValue, unmarshallItem, unmarshallValue } from '../../../../lib/adapters/dynamodb/attribute-value.ts';
import { ConflictError } from '../../../../lib/engine/ports/conflict-error.ts';
import { padded } from '../../../../lib/adapters/dynamodb/keys.ts';
import { newRunId } from '../../../../lib/core/run/run.ts';
import { allOf, buildUpdate, versionIs, versionWas } from '../../../../lib/adapters/dynamodb/table.ts';

describe('attribute values', () => {
  it('maps scalars, lists, maps and string sets both ways', () => {
    const record = { s: 'text', empty: '', n: 42.5, yes: true, nothing: null, list: ['a', 1, false], map: { nested: { deep: 'x' } }, set: new Set(['a', 'b']) };
    const item = marshallItem(record);
    expect(item).toEqual({
      s: { S: 'text' },
      empty: { S: '' },
      n: { N: '42.5' },
      yes: { BOOL: true },
      nothing: { NULL: true },
      list: { L: [{ S: 'a' }, { N: '1' }, { BOOL: false }] },
      map: { M: { nested: { M: { deep: { S: 'x' } } } } },
      set: { SS: ['a', 'b'] },
    });
    expect(unmarshallItem(item)).toEqual(record);
  });

  it('drops undefined members and refuses what DynamoDB cannot hold', () => {
    expect(marshallItem({ a: 'x', b: undefined })).toEqual({ a: { S: 'x' } });
    expect(() => marshallValue(new Set())).toThrow('cannot store an empty set');
    expect(() => marshallValue(Number.NaN)).toThrow('cannot store the number NaN');
    expect(() => unmarshallValue({ B: new Uint8Array([1]) } as never)).toThrow('unsupported attribute type B');
  });

  it('keeps a key named __proto__ as a key both ways, never as a prototype', () => {
    const record = JSON.parse('{"__proto__": {"polluted": "yes"}, "plain": "x"}') as Record<string, never>;
    const item = marshallItem(record);
    expect(Object.keys(item)).toEqual(['__proto__', 'plain']);
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    const back = unmarshallItem(item);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back).toEqual(record);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('round-trips any JSON-like value', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        // Keys like __proto__ and constructor included on purpose: they once failed this property in CI.
        fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString')), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(unmarshallValue(marshallValue(value as never))).toEqual(value);
      }),
    );
  });
});

describe('update expressions', () => {
  it('aliases every attribute and value, skipping undefined sets', () => {
    const built = buildUpdate({ set: { status: 'ok', message: undefined }, add: { version: 1, finished: new Set(['a']) }, remove: ['name'], delete: { tags: new Set(['x']) } });
    expect(built.expression).toBe('SET #u0 = :u0 ADD #u1 :u1, #u2 :u2 REMOVE #u3 DELETE #u4 :u4');
    expect(built.placeholders.names).toEqual({ '#u0': 'status', '#u1': 'version', '#u2': 'finished', '#u3': 'name', '#u4': 'tags' });
    expect(built.placeholders.values).toEqual({ ':u0': 'ok', ':u1': 1, ':u2': new Set(['a']), ':u4': new Set(['x']) });
  });

  it('refuses an update with nothing to do', () => {
    expect(() => buildUpdate({ set: { a: undefined } })).toThrow('at least one clause');
  });

  it('combines conditions without clashing placeholders', () => {
    expect(versionWas(0).expression).toBe('attribute_not_exists(#pk)');
    expect(allOf(versionIs(3), { expression: 'attribute_not_exists(#f)', names: { '#f': 'finishedAt' } })).toEqual({
      expression: '(#version = :expectedVersion) AND (attribute_not_exists(#f))',
      names: { '#version': 'version', '#f': 'finishedAt' },
      values: { ':expectedVersion': 3 },
    });
  });
});

describe('keys', () => {
  it('pad numbers so that string order is numeric order', () => {
    fc.assert(
      fc.property(fc.nat({ max: 9_999_999_999 }), fc.nat({ max: 9_999_999_999 }), (a, b) => {
        expect(padded(a) < padded(b)).toBe(a < b);
      }),
    );
  });

  it('make run ids that sort by creation time', () => {
    const ids = [0, 1, 1000, 86_400_000].map((offset) => newRunId(new Date(Date.UTC(2026, 10, 29) + offset)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 50 }, () => newRunId(new Date(0)))).size).toBe(50);
  });
});

describe('ConflictError', () => {
  it('says what conflicted and why', () => {
    expect(new ConflictError('cluster', 'beijing-1', 'already-exists').message).toBe('cluster beijing-1 already exists');
    expect(new ConflictError('application', 'default/web', 'changed').message).toBe(
      'application default/web was changed or removed by someone else; read it again and retry',
    );
    expect(new ConflictError('application', 'default/web', 'deleting').message).toBe('application default/web is being deleted; submit it again once it is gone');
  });
});
