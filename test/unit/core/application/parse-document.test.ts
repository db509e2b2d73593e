import { describe, expect, it } from 'vitest';
import { checkPlainData, MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH, parseDocument } from '../../../../lib/core/application/parse-document.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { thrown } from '../../support/builders.ts';

function failure(text: string, format?: 'yaml' | 'json'): string {
  const error = thrown(() => parseDocument(text, format));
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).message;
}

describe('parseDocument', () => {
  it.each([
    ['YAML', 'a: 1\nb: [x, y]\n', undefined],
    ['JSON', '{"a": 1, "b": ["x", "y"]}', undefined],
    ['JSON given as such', '{"a": 1, "b": ["x", "y"]}', 'json' as const],
    ['YAML flow style starting with a brace', '{a: 1, b: [x, y]}', undefined],
    ['a byte-order mark before YAML', '\uFEFFa: 1\nb: [x, y]\n', 'yaml' as const],
  ])('reads %s', (_name, text, format) => {
    expect(parseDocument(text, format)).toEqual({ a: 1, b: ['x', 'y'] });
  });

  it.each([
    ['an anchored value', 'a: &x 1\nb: *x\n', 'YAML anchors are not allowed: line 1, column 7: &x'],
    ['an alias', 'a: &x 1\nb: *x\n', 'YAML aliases are not allowed: line 2, column 4: *x'],
    ['an anchor alone', 'a: &x 1\n', 'YAML anchors are not allowed'],
    ['a billion-laughs expansion', 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n', 'YAML aliases are not allowed'],
    ['two documents', 'a: 1\n---\nb: 2\n', 'expected one YAML document, found 2'],
    ['an empty text', '', 'the document is empty'],
    ['only a comment', '# nothing\n', 'the document is empty'],
    ['duplicate keys', 'a: 1\na: 2\n', 'invalid YAML: line 2, column 1: Map keys must be unique'],
    ['an unknown tag', 'a: !secret x\n', 'invalid YAML'],
    ['broken YAML', 'a: [1, 2\n', 'invalid YAML'],
    ['a map used as a key', '? {a: 1}\n: x\n', 'YAML keys must be plain values, not lists or maps: line 1, column 3'],
    ['an infinite number', 'a: .inf\n', 'a: numbers must be finite'],
    ['the key __proto__', '{"__proto__": {"x": 1}}', 'the key "__proto__" is not allowed'],
  ])('refuses %s, naming the reason', (_name, text, reason) => {
    expect(failure(text)).toContain(reason);
  });

  it('refuses broken JSON when JSON is asked for', () => {
    expect(failure('{"a": ', 'json')).toMatch(/^invalid JSON: /);
  });

  it('refuses a text over the size limit before reading it', () => {
    expect(failure(`a: "${'x'.repeat(MAX_DOCUMENT_BYTES)}"`)).toBe(`the document is larger than the limit of ${MAX_DOCUMENT_BYTES} bytes`);
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const text = `a: "${'é'.repeat(MAX_DOCUMENT_BYTES / 2)}"`;
    expect(text.length).toBeLessThan(MAX_DOCUMENT_BYTES);
    expect(failure(text)).toContain('larger than the limit');
  });

  it('refuses nesting deeper than the limit, and reads it up to the limit', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(() => parseDocument(nested(MAX_NESTING_DEPTH))).not.toThrow();
    expect(failure(nested(MAX_NESTING_DEPTH + 1))).toContain(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
  });

  it('turns a parser crash on absurd nesting into a ValidationError', () => {
    expect(failure('['.repeat(200_000), 'yaml')).toMatch(/invalid YAML|could not read the document/);
  });
});

describe('checkPlainData', () => {
  it.each([
    ['a Map', new Map(), 'is not plain JSON data'],
    ['a Date', new Date(0), 'is not plain JSON data'],
    ['a function', () => 1, 'function is not JSON data'],
    ['undefined in a list', [undefined], 'undefined is not JSON data'],
    ['NaN', { a: Number.NaN }, 'numbers must be finite'],
  ])('refuses %s', (_name, value, message) => {
    expect(checkPlainData(value)?.message).toBe(message);
  });

  it('treats undefined fields as absent, as JSON does', () => {
    expect(checkPlainData({ a: undefined, b: [1, 'x', null, true], c: Object.create(null) })).toBeUndefined();
  });

  it('reports where the problem is', () => {
    expect(checkPlainData({ spec: { list: [1, Number.POSITIVE_INFINITY] } }, 'doc')).toEqual({ path: 'doc.spec.list[1]', message: 'numbers must be finite' });
  });

  it('stops on cycles at the depth limit', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(checkPlainData(cycle)?.message).toContain('nested deeper than');
  });
});
