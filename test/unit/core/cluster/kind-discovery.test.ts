import { describe, expect, it } from 'vitest';
import { discoveryTtlMs, freshKindScopes, maxRecordedKinds, withDiscovered } from '../../../../lib/core/cluster/kind-discovery.ts';

const at = new Date('2026-01-01T00:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);

describe('recorded discovery answers', () => {
  it('are fresh for the TTL, for the credential version they were read with, and since a request', () => {
    const discovery = withDiscovered(undefined, 3, { 'example.com/v1/Widget': 'namespaced' }, at);
    expect(freshKindScopes(discovery, 3, later(1000))).toEqual({ 'example.com/v1/Widget': 'namespaced' });
    expect(freshKindScopes(discovery, 3, later(discoveryTtlMs + 1))).toEqual({});
    expect(freshKindScopes(discovery, 4, later(1000))).toEqual({});
    expect(freshKindScopes(discovery, 3, later(1000), later(1))).toEqual({});
  });

  it('merge newer answers, drop other credentials and stale ones, and stay bounded', () => {
    const first = withDiscovered(undefined, 1, { 'a/v1/A': 'cluster' }, at);
    const second = withDiscovered(first, 1, { 'b/v1/B': 'absent' }, later(1000));
    expect(freshKindScopes(second, 1, later(1000))).toEqual({ 'a/v1/A': 'cluster', 'b/v1/B': 'absent' });
    expect(withDiscovered(second, 2, {}, later(1000)).kinds).toEqual({});
    expect(Object.keys(withDiscovered(first, 1, {}, later(discoveryTtlMs + 1)).kinds)).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: maxRecordedKinds + 5 }, (_, i) => [`g/v1/K${i}`, 'namespaced' as const]));
    expect(Object.keys(withDiscovered(undefined, 1, many, at).kinds)).toHaveLength(maxRecordedKinds);
  });
});
