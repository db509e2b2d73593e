import { describe, expect, it } from 'vitest';
import { PlacementError } from '../../../../lib/core/errors/placement-error.ts';
import { ClusterList, type ClusterInfo } from '../../../../lib/core/policy/cluster-info.ts';
import { matchesSelector, type ClusterLabelSelector } from '../../../../lib/core/policy/cluster-selector.ts';
import { resolvePlacements, TopologyProperties } from '../../../../lib/core/policy/topology.ts';
import { thrown } from '../../support/builders.ts';

const registry: ClusterInfo[] = [
  { name: 'us-west-1', labels: { provider: 'AWS', region: 'us' } },
  { name: 'beijing-2', labels: { provider: 'Alibaba', region: 'cn' } },
  { name: 'beijing-1', labels: { provider: 'Alibaba', region: 'cn', tier: 'gold' } },
  { name: 'eu-1', labels: { region: 'eu' } },
];

const topology = (name: string, properties: Record<string, unknown>) => ({ name, properties: TopologyProperties.parse(properties) });
const resolve = (...topologies: ReturnType<typeof topology>[]) => resolvePlacements(topologies, registry);
const names = (...topologies: ReturnType<typeof topology>[]) => resolve(...topologies).map((placement) => placement.cluster);

describe('topology placements', () => {
  it('takes the clusters list in its order', () => {
    expect(names(topology('t', { clusters: ['beijing-2', 'us-west-1'] }))).toEqual(['beijing-2', 'us-west-1']);
  });

  it('ignores the selector when clusters is set', () => {
    expect(names(topology('t', { clusters: ['eu-1'], clusterLabelSelector: { provider: 'AWS' } }))).toEqual(['eu-1']);
  });

  it('selects clusters matching every label of the selector, by name', () => {
    expect(names(topology('t', { clusterLabelSelector: { provider: 'Alibaba', region: 'cn' } }))).toEqual(['beijing-1', 'beijing-2']);
    expect(names(topology('t', { clusterLabelSelector: { provider: 'Alibaba', tier: 'gold' } }))).toEqual(['beijing-1']);
  });

  it('selects every cluster with an empty selector', () => {
    expect(names(topology('t', { clusterLabelSelector: {} }))).toEqual(['beijing-1', 'beijing-2', 'eu-1', 'us-west-1']);
  });

  it('places nothing for an explicit empty clusters list', () => {
    expect(resolve(topology('t', { clusters: [] }))).toEqual([]);
  });

  it('fails with KubeVela’s message when a selector matches nothing', () => {
    const error = thrown(() => resolve(topology('topology-aws', { clusterLabelSelector: { provider: 'GCP' } })));
    expect(error).toBeInstanceOf(PlacementError);
    expect(error).toMatchObject({ message: 'failed to find any cluster matches given labels', policy: 'topology-aws', reason: 'NoClusterMatches' });
  });

  it('places nothing, without failing, when allowEmpty is set', () => {
    expect(resolve(topology('t', { clusterLabelSelector: { provider: 'GCP' }, allowEmpty: true }))).toEqual([]);
  });

  it('fails when a listed cluster is not registered', () => {
    expect(thrown(() => resolve(topology('t', { clusters: ['beijing-1', 'mars-1'] })))).toMatchObject({
      message: 'failed to get cluster mars-1: no cluster named mars-1 is registered',
      reason: 'ClusterNotFound',
    });
  });

  it('de-duplicates placements across topologies in first-seen order', () => {
    expect(names(topology('a', { clusters: ['us-west-1', 'beijing-1'] }), topology('b', { clusterLabelSelector: { region: 'cn' } }))).toEqual(['us-west-1', 'beijing-1', 'beijing-2']);
  });

  it('keeps one place per cluster and namespace, creating the namespace if either topology asks', () => {
    const placements = resolve(
      topology('a', { clusters: ['eu-1'], namespace: 'prod' }),
      topology('b', { clusters: ['eu-1'], namespace: 'prod', createNamespace: true }),
      topology('c', { clusters: ['eu-1'] }),
    );
    expect(placements).toEqual([
      { cluster: 'eu-1', namespace: 'prod', createNamespace: true },
      { cluster: 'eu-1', createNamespace: false },
    ]);
  });
});

describe('cluster label selectors with match expressions (Flotilla extension, kubevela#5172)', () => {
  const selector = (value: Record<string, unknown>) => TopologyProperties.parse({ clusterLabelSelector: value }).clusterLabelSelector as ClusterLabelSelector;
  const labels = { provider: 'AWS', region: 'us' };
  it.each<[string, Record<string, unknown>, boolean]>([
    ['In, value listed', { matchExpressions: [{ key: 'provider', operator: 'In', values: ['AWS', 'GCP'] }] }, true],
    ['In, value not listed', { matchExpressions: [{ key: 'provider', operator: 'In', values: ['GCP'] }] }, false],
    ['In, label missing', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] }, false],
    ['NotIn, value not listed', { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['cn'] }] }, true],
    ['NotIn, value listed', { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['us'] }] }, false],
    ['NotIn, label missing', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['gold'] }] }, true],
    ['Exists, present', { matchExpressions: [{ key: 'provider', operator: 'Exists' }] }, true],
    ['Exists, missing', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, false],
    ['DoesNotExist, missing', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist, present', { matchExpressions: [{ key: 'provider', operator: 'DoesNotExist' }] }, false],
    ['labels and expressions together, all holding', { region: 'us', matchExpressions: [{ key: 'provider', operator: 'Exists' }] }, true],
    ['labels and expressions together, a label failing', { region: 'eu', matchExpressions: [{ key: 'provider', operator: 'Exists' }] }, false],
    ['a label named like an inherited property', { constructor: 'x' }, false],
  ])('%s', (_name, value, expected) => {
    expect(matchesSelector(labels, selector(value))).toBe(expected);
  });

  it('selects clusters with expressions in a topology', () => {
    expect(names(topology('t', { clusterLabelSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu', 'us'] }] } }))).toEqual(['eu-1', 'us-west-1']);
  });
});

describe('cluster registry entries', () => {
  it('refuses the reserved name local and names listed twice', () => {
    const result = ClusterList.safeParse([{ name: 'local' }, { name: 'a' }, { name: 'a' }]);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['0.name', 'the cluster name "local" is reserved: in KubeVela it means the control plane, and Flotilla\'s control plane is not a Kubernetes cluster'],
      ['2.name', 'cluster a is listed twice'],
    ]);
  });

  it('defaults labels to none', () => {
    expect(ClusterList.parse([{ name: 'a' }])).toEqual([{ name: 'a', labels: {} }]);
  });
});
