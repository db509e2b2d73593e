import { describe, expect, it } from 'vitest';
import { diffRevisions } from '../../../../lib/core/query/revision-diff.ts';

const object = (kind: string, name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: kind === 'Service' ? 'v1' : 'apps/v1',
  kind,
  metadata: { name, namespace: 'default', labels: { 'app.oam.dev/component': name } },
  spec,
});

describe('diffRevisions', () => {
  it('per cluster: added, changed with fields, unchanged, and removed last', () => {
    const before = [{ cluster: 'a', resources: [object('Deployment', 'web', { image: 'v1' }), object('Service', 'web'), object('Deployment', 'old')] }];
    const after = [{ cluster: 'a', resources: [object('Deployment', 'web', { image: 'v2' }), object('Service', 'web'), object('Deployment', 'new')] }];
    expect(diffRevisions(before, after)).toEqual([
      {
        cluster: 'a',
        objects: [
          { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', component: 'web', change: 'changed', fields: [{ path: 'spec.image', before: 'v1', after: 'v2' }] },
          { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'web', component: 'web', change: 'unchanged' },
          { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'new', component: 'new', change: 'added' },
          { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'old', component: 'old', change: 'removed' },
        ],
      },
    ]);
  });

  it('a cluster the new revision leaves has every object removed; a new cluster has every object added', () => {
    const diff = diffRevisions([{ cluster: 'gone', resources: [object('Deployment', 'web')] }], [{ cluster: 'new', resources: [object('Deployment', 'web')] }]);
    expect(diff.map((cluster) => [cluster.cluster, cluster.objects.map((o) => o.change)])).toEqual([
      ['new', ['added']],
      ['gone', ['removed']],
    ]);
  });

  it('a later step rendering the same object in the same cluster stands for it', () => {
    const before = [{ cluster: 'a', resources: [object('Deployment', 'web', { replicas: 1 })] }];
    const after = [
      { cluster: 'a', resources: [object('Deployment', 'web', { replicas: 1 })] },
      { cluster: 'a', resources: [object('Deployment', 'web', { replicas: 3 })] },
    ];
    expect(diffRevisions(before, after)[0]!.objects[0]).toMatchObject({ change: 'changed', fields: [{ path: 'spec.replicas', before: 1, after: 3 }] });
  });
});
