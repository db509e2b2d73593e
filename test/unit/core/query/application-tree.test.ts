import { describe, expect, it } from 'vitest';
import { treeOf } from '../../../../lib/core/query/application-tree.ts';

const resources = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'n', labels: { 'app.oam.dev/component': 'web' } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'n', labels: { 'app.oam.dev/component': 'web' } } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone', namespace: 'n', labels: { 'app.oam.dev/component': 'cfg' } } },
];
const services = [{ component: 'web', type: 'webservice', healthy: false, message: 'Ready:1/3', traits: [] }];

describe('treeOf', () => {
  it("gives each object its component's health and its drift from the live diff", () => {
    const tree = treeOf({
      cluster: 'c1',
      namespace: 'n',
      resources,
      services,
      live: [
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'n', name: 'web', change: 'changed', fields: [{ path: 'spec.replicas', before: 1, after: 3 }] },
        { apiVersion: 'v1', kind: 'Service', namespace: 'n', name: 'web', change: 'unchanged' },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'gone', change: 'added' },
      ],
    });
    expect(tree.objects.map(({ kind, healthy, message, drift, driftedFields }) => ({ kind, healthy, message, drift, driftedFields }))).toEqual([
      { kind: 'Deployment', healthy: false, message: 'Ready:1/3', drift: 'drifted', driftedFields: [{ path: 'spec.replicas', before: 1, after: 3 }] },
      { kind: 'Service', healthy: false, message: 'Ready:1/3', drift: 'none', driftedFields: undefined },
      { kind: 'ConfigMap', healthy: undefined, message: undefined, drift: 'missing', driftedFields: undefined },
    ]);
  });

  it('without an answer from the cluster every drift is unknown', () => {
    expect(treeOf({ cluster: 'c1', namespace: 'n', resources, services }).objects.map((object) => object.drift)).toEqual(['unknown', 'unknown', 'unknown']);
  });
});
