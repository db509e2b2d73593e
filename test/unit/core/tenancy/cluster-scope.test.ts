import { describe, expect, it } from 'vitest';
import { applicationFromObject } from '../../../../lib/core/admission/parse-application.ts';
import { allowsCluster, clusterScopeIssues, describeClusterScope } from '../../../../lib/core/tenancy/cluster-scope.ts';
import { confinementIssues, isConfined, submitConfinementIssues } from '../../../../lib/core/tenancy/confinement.ts';
import type { ClusterInfo } from '../../../../lib/core/policy/cluster-info.ts';
import { planWorkflow } from '../../../../lib/core/workflow/plan-workflow.ts';

const clusters: ClusterInfo[] = [
  { name: 'beijing-1', labels: { region: 'beijing', team: 'a' } },
  { name: 'beijing-2', labels: { region: 'beijing' } },
  { name: 'us-west-1', labels: { region: 'us-west', team: 'a' } },
];

function app(topologies: Record<string, unknown>[], namespace = 'team-a') {
  return applicationFromObject({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'tenant', namespace },
    spec: {
      components: [{ name: 'web', type: 'webservice', properties: { image: 'nginx' } }],
      policies: topologies.map((properties, index) => ({ type: 'topology', name: `t${index}`, properties })),
    },
  });
}
const placements = (application: ReturnType<typeof app>) => planWorkflow(application, clusters, { revision: 'tenant-v1' }).steps.flatMap((step) => step.placements);

describe('allowsCluster', () => {
  it.each([
    [{ names: ['beijing-1'] }, 'beijing-1', true],
    [{ names: ['beijing-1'] }, 'beijing-2', false],
    [{ selector: { team: 'a' } }, 'us-west-1', true],
    [{ selector: { team: 'a' } }, 'beijing-2', false],
    [{ selector: { team: 'a', region: 'beijing' } }, 'us-west-1', false],
    // both given: either allows
    [{ names: ['beijing-2'], selector: { team: 'a' } }, 'beijing-2', true],
    [{ names: ['beijing-2'], selector: { team: 'a' } }, 'us-west-1', true],
    // an empty scope never widens to every cluster
    [{ selector: {} }, 'beijing-1', false],
    [{ names: [] }, 'beijing-1', false],
  ])('%j allows %s: %s', (scope, name, allowed) => {
    expect(allowsCluster(scope, clusters.find((cluster) => cluster.name === name)!)).toBe(allowed);
  });
});

describe('describeClusterScope', () => {
  it('names the clusters and the labels', () => {
    expect(describeClusterScope({ names: ['beijing-1', 'beijing-2'] })).toBe('clusters beijing-1, beijing-2');
    expect(describeClusterScope({ selector: { team: 'a', tier: 'prod' } })).toBe('clusters labelled team=a, tier=prod');
    expect(describeClusterScope({ names: ['beijing-1'], selector: { team: 'a' } })).toBe('clusters beijing-1 or clusters labelled team=a');
  });
});

describe('clusterScopeIssues', () => {
  it('refuses each cluster outside the scope once, at the topology entry naming it', () => {
    const application = app([{ clusters: ['beijing-1', 'beijing-2'] }, { clusters: ['beijing-2'], namespace: 'team-a' }]);
    expect(clusterScopeIssues(application, placements(application), { names: ['beijing-1'] }, clusters)).toEqual([
      { path: 'spec.policies[0].properties.clusters[1]', message: 'places on cluster beijing-2; this token may place only on clusters beijing-1, not beijing-2' },
    ]);
  });

  it('points at the label selector that picked a cluster outside the scope', () => {
    const application = app([{ clusterLabelSelector: { region: 'beijing' } }]);
    expect(clusterScopeIssues(application, placements(application), { selector: { team: 'a' } }, clusters)).toEqual([
      { path: 'spec.policies[0].properties.clusterLabelSelector', message: 'places on cluster beijing-2; this token may place only on clusters labelled team=a, not beijing-2' },
    ]);
  });

  it('allows what the scope names or selects', () => {
    const application = app([{ clusters: ['beijing-1', 'us-west-1', 'beijing-2'] }]);
    expect(clusterScopeIssues(application, placements(application), { names: ['beijing-2'], selector: { team: 'a' } }, clusters)).toEqual([]);
  });
});

describe('confinement with a cluster scope', () => {
  const scoped = { tokenId: 'abc', namespaces: [], clusters: { names: ['beijing-1'] } };

  it('counts a cluster scope alone as a limit', () => {
    expect(isConfined(scoped)).toBe(true);
    expect(isConfined({ namespaces: [] })).toBe(false);
  });

  it('refuses at submit a placement outside the scope, for a token without namespace limits', () => {
    const application = app([{ clusters: ['beijing-1', 'us-west-1'] }], 'anywhere');
    expect(submitConfinementIssues(application, clusters, scoped)).toEqual([
      { path: 'spec.policies[0].properties.clusters[1]', message: 'places on cluster us-west-1; this token may place only on clusters beijing-1, not us-west-1' },
    ]);
  });

  it('refuses a named cluster not registered yet unless the scope names it (it has no labels to match)', () => {
    const application = app([{ clusters: ['shanghai-1'] }]);
    expect(submitConfinementIssues(application, clusters, { namespaces: [], clusters: { selector: { team: 'a' } } }).map((issue) => issue.path)).toEqual([
      'spec.policies[0].properties.clusters[0]',
    ]);
    expect(submitConfinementIssues(application, clusters, { namespaces: [], clusters: { names: ['shanghai-1'] } })).toEqual([]);
  });

  it('lists cluster problems before namespace problems when both limits apply', () => {
    const application = app([{ clusters: ['beijing-2'], namespace: 'kube-system' }]);
    const issues = confinementIssues(application, placements(application), { namespaces: ['team-a'], clusters: { selector: { team: 'a' } } }, clusters);
    expect(issues.map((issue) => issue.path)).toEqual(['spec.policies[0].properties.clusters[0]', 'spec.policies[0].properties.namespace', 'spec.components[0]']);
  });

  it('re-checks against the clusters as they are when a step starts: a label lost since the submit refuses it', () => {
    const application = app([{ clusters: ['beijing-1'] }]);
    const scope = { namespaces: [], clusters: { selector: { team: 'a' } } };
    expect(confinementIssues(application, placements(application), scope, clusters)).toEqual([]);
    const relabelled = clusters.map((cluster) => (cluster.name === 'beijing-1' ? { ...cluster, labels: { region: 'beijing' } } : cluster));
    expect(confinementIssues(application, placements(application), scope, relabelled)).toEqual([
      { path: 'spec.policies[0].properties.clusters[0]', message: 'places on cluster beijing-1; this token may place only on clusters labelled team=a, not beijing-1' },
    ]);
  });
});
