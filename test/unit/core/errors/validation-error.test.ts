import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { formatPath, joinPaths, ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { checkWith } from '../../../../lib/core/errors/zod-issues.ts';

describe('ValidationError', () => {
  it('summarises a single problem as path: message', () => {
    const error = ValidationError.single('spec.components[0].name', 'is required');
    expect(error.message).toBe('spec.components[0].name: is required');
    expect(error.details).toEqual([{ path: 'spec.components[0].name', message: 'is required' }]);
    expect(error.name).toBe('ValidationError');
  });

  it('lists every problem when there are several', () => {
    const error = new ValidationError([
      { path: 'a', message: 'first' },
      { path: '', message: 'second' },
    ]);
    expect(error.message).toBe('2 problems:\n  a: first\n  second');
  });
});

describe('formatPath', () => {
  it.each([
    [['spec', 'components', 0, 'traits', 1, 'properties', 'replicas'], '', 'spec.components[0].traits[1].properties.replicas'],
    [['labels', 'app.oam.dev/name'], 'metadata', 'metadata.labels["app.oam.dev/name"]'],
    [[2], 'list', 'list[2]'],
    [[], 'base', 'base'],
  ] as const)('%j under %j is %s', (segments, base, expected) => {
    expect(formatPath(segments, base)).toBe(expected);
  });

  it.each([
    ['', 'a.b', 'a.b'],
    ['a', '', 'a'],
    ['a', '[0].b', 'a[0].b'],
    ['a', 'b', 'a.b'],
  ])('joins %j and %j as %j', (base, path, expected) => {
    expect(joinPaths(base, path)).toBe(expected);
  });
});

describe('checkWith', () => {
  const schema = z.strictObject({ replicas: z.number(), name: z.string(), mode: z.enum(['a', 'b']), list: z.array(z.string()).min(1) });

  it.each([
    [{ replicas: 'three', name: 'x', mode: 'a', list: ['x'] }, 'spec.replicas', 'expected a number'],
    [{ name: 'x', mode: 'a', list: ['x'] }, 'spec.replicas', 'is required'],
    [{ replicas: 1, name: 2, mode: 'a', list: ['x'] }, 'spec.name', 'expected a string'],
    [{ replicas: 1, name: 'x', mode: 'c', list: ['x'] }, 'spec.mode', 'expected one of "a", "b"'],
    [{ replicas: 1, name: 'x', mode: 'a', list: [] }, 'spec.list', 'must list at least 1 item'],
    [{ replicas: 1, name: 'x', mode: 'a', list: ['x'], extra: true }, 'spec.extra', 'unknown field'],
  ])('words the problem in %j for people', (value, path, message) => {
    const checked = checkWith(schema, value, 'spec');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues).toEqual([{ path, message }]);
  });
});
