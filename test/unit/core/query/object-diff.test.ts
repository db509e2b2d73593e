import { describe, expect, it } from 'vitest';
import { diffObject, MAX_FIELD_CHANGES } from '../../../../lib/core/query/object-diff.ts';

const deployment = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', resourceVersion: '12', uid: 'u-1', managedFields: [{ manager: 'flotilla' }] },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image }] } }, ...extra },
  status: { readyReplicas: 3 },
});

describe('diffObject', () => {
  it('names each changed leaf by its path, with both values', () => {
    expect(diffObject(deployment('web:1'), deployment('web:2'))).toEqual({
      changes: [{ path: 'spec.template.spec.containers[0].image', before: 'web:1', after: 'web:2' }],
      more: 0,
    });
  });

  it('leaves out what the API server owns: resourceVersion, uid, managedFields, status', () => {
    const live = deployment('web:1');
    const rendered = { ...deployment('web:1'), metadata: { name: 'web', namespace: 'default' } } as Record<string, unknown>;
    delete rendered.status;
    expect(diffObject(live, rendered).changes).toEqual([]);
  });

  it('reports a field only one side has without the missing value', () => {
    expect(diffObject(deployment('web:1'), deployment('web:1', { paused: true })).changes).toEqual([{ path: 'spec.paused', after: true }]);
    expect(diffObject(deployment('web:1', { paused: true }), deployment('web:1')).changes).toEqual([{ path: 'spec.paused', before: true }]);
  });

  it('compares lists of another length as a whole', () => {
    const two = { spec: { ports: [{ port: 80 }, { port: 443 }] } };
    const one = { spec: { ports: [{ port: 80 }] } };
    expect(diffObject(two, one).changes).toEqual([{ path: 'spec.ports', before: [{ port: 80 }, { port: 443 }], after: [{ port: 80 }] }]);
  });

  it('lists at most MAX_FIELD_CHANGES changes and counts the rest; long values are shortened', () => {
    const before = { data: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'a'])) };
    const after = { data: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'b'])) };
    const { changes, more } = diffObject(before, after);
    expect(changes).toHaveLength(MAX_FIELD_CHANGES);
    expect(more).toBe(10);
    const long = diffObject({ data: { blob: 'x'.repeat(1000) } }, { data: { blob: 'y' } }).changes[0]!;
    expect(String(long.before)).toMatch(/… \(1002 characters\)$/);
  });
});
