import { describe, expect, it } from 'vitest';
import type { Application } from '../../../../lib/core/application/application.ts';
import { unregisteredClusterIssues } from '../../../../lib/core/policy/unregistered-clusters.ts';

const app = (policies: unknown[]) =>
  ({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'example-app', namespace: 'default' },
    spec: { components: [{ name: 'web', type: 'webservice', properties: { image: 'nginx' } }], policies },
  }) as unknown as Application;

describe('cluster names a topology lists must be registered', () => {
  it('names each unknown cluster at its path, with the clusters that exist', () => {
    const policies = [
      { type: 'override', name: 'ha', properties: { components: [] } },
      { type: 'topology', name: 'here', properties: { clusters: ['beijing-1', 'beijing-9', 'us-east-1'] } },
    ];
    expect(unregisteredClusterIssues(app(policies), ['us-west-1', 'beijing-1'])).toEqual([
      { path: 'spec.policies[1].properties.clusters[1]', message: 'no cluster named beijing-9 is registered; registered clusters: beijing-1, us-west-1' },
      { path: 'spec.policies[1].properties.clusters[2]', message: 'no cluster named us-east-1 is registered; registered clusters: beijing-1, us-west-1' },
    ]);
  });

  it('says how to join one when none is registered', () => {
    const policies = [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'] } }];
    expect(unregisteredClusterIssues(app(policies), [])[0]?.message).toBe('no cluster named beijing-1 is registered; no cluster is registered yet (join one with `flotilla cluster join`)');
  });

  it('leaves label selectors and known names alone', () => {
    const policies = [
      { type: 'topology', name: 'aws', properties: { clusterLabelSelector: { provider: 'AWS' } } },
      { type: 'topology', name: 'here', properties: { clusters: ['beijing-1'] } },
    ];
    expect(unregisteredClusterIssues(app(policies), ['beijing-1'])).toEqual([]);
  });
});
