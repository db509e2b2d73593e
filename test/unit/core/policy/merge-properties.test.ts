import { describe, expect, it } from 'vitest';
import { mergeProperties } from '../../../../lib/core/policy/merge-properties.ts';

describe('mergeProperties (mergo Merge WithOverride, as KubeVela uses it)', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    ['adds a key', { image: 'a' }, { port: 80 }, { image: 'a', port: 80 }],
    ['replaces a scalar', { image: 'a' }, { image: 'b' }, { image: 'b' }],
    ['merges nested maps recursively', { env: { A: '1', B: '2' }, x: 1 }, { env: { B: '3', C: '4' } }, { env: { A: '1', B: '3', C: '4' }, x: 1 }],
    ['merges maps several levels deep', { a: { b: { c: 1, d: 2 } } }, { a: { b: { d: 3 } } }, { a: { b: { c: 1, d: 3 } } }],
    ['replaces a list whole', { ports: [{ port: 80 }, { port: 443 }] }, { ports: [{ port: 8080 }] }, { ports: [{ port: 8080 }] }],
    ['replaces a list with an empty list', { cmd: ['run'] }, { cmd: [] }, { cmd: [] }],
    ['replaces with false', { expose: true }, { expose: false }, { expose: false }],
    ['replaces with 0', { replicas: 3 }, { replicas: 0 }, { replicas: 0 }],
    ['replaces with an empty string', { cpu: '500m' }, { cpu: '' }, { cpu: '' }],
    ['keeps an explicit null as a value instead of deleting the key', { cpu: '500m' }, { cpu: null }, { cpu: null }],
    ['sets null on a missing key', {}, { memory: null }, { memory: null }],
    ['replaces a map with a scalar', { env: { A: '1' } }, { env: 'none' }, { env: 'none' }],
    ['replaces a map with a list', { env: { A: '1' } }, { env: ['A'] }, { env: ['A'] }],
    ['replaces a scalar with a map (mergo would ignore this patch)', { env: 'none' }, { env: { A: '1' } }, { env: { A: '1' } }],
    ['replaces a list with a map', { env: ['A'] }, { env: { A: '1' } }, { env: { A: '1' } }],
    ['merges an empty patch into the same properties', { image: 'a', ports: [1] }, {}, { image: 'a', ports: [1] }],
    ['merges into empty properties', {}, { image: 'a', nested: { x: [1] } }, { image: 'a', nested: { x: [1] } }],
  ])('%s', (_name, base, patch, expected) => {
    expect(mergeProperties(base, patch)).toEqual(expected);
  });

  it('modifies neither input and shares no object with them', () => {
    const base = { env: { A: '1' }, list: [1] };
    const patch = { env: { B: '2' }, more: { x: [1] } };
    const merged = mergeProperties(base, patch) as { env: Record<string, string>; more: { x: number[] }; list: number[] };
    merged.env.C = '3';
    merged.more.x.push(2);
    merged.list.push(2);
    expect(base).toEqual({ env: { A: '1' }, list: [1] });
    expect(patch).toEqual({ env: { B: '2' }, more: { x: [1] } });
  });
});
