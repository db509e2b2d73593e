import { describe, expect, it } from 'vitest';
import { dryRun, parseClusterList } from '../../../../lib/core/dry-run/dry-run.ts';
import { PlacementError } from '../../../../lib/core/errors/placement-error.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { fixtureText, seedClusters, thrown } from '../../support/builders.ts';

const clusters = fixtureText('clusters.yaml');
const summarise = (name: string, withClusters = true) =>
  dryRun({ application: fixtureText(`seed/${name}.yaml`), clusters: withClusters ? clusters : undefined }).entries.map((entry) => ({
    step: entry.step,
    cluster: entry.cluster,
    namespace: entry.namespace,
    objects: entry.resources.map((object) => `${object.kind}/${object.metadata.name}`),
    replicas: (entry.resources[0]?.spec as { replicas?: number }).replicas,
  }));
const objects = ['Deployment/hello-world-server', 'Service/hello-world-server', 'Ingress/hello-world-server'];

describe('dryRun on the seed files', () => {
  it('basic.yaml', () => {
    expect(summarise('basic')).toEqual([
      { step: 'deploy-beijing-clusters', cluster: 'beijing-1', namespace: 'default', objects, replicas: 3 },
      { step: 'deploy-beijing-clusters', cluster: 'beijing-2', namespace: 'default', objects, replicas: 3 },
    ]);
  });

  it('intermediate.yaml', () => {
    expect(summarise('intermediate').map((entry) => [entry.step, entry.cluster])).toEqual([
      ['deploy-beijing-clusters', 'beijing-1'],
      ['deploy-beijing-clusters', 'beijing-2'],
      ['deploy-topology-aws', 'us-west-1'],
    ]);
  });

  it('advanced.yaml', () => {
    expect(summarise('advanced').map((entry) => [entry.step, entry.cluster, entry.replicas])).toEqual([
      ['deploy-beijing', 'beijing-1', 3],
      ['deploy-beijing', 'beijing-2', 3],
      ['deploy-aws', 'us-west-1', 5],
    ]);
  });

  it('labels every object with the default revision <app>-v1, or the one given', () => {
    const result = dryRun({ application: fixtureText('seed/basic.yaml'), clusters });
    expect(result.plan.revision).toBe('example-app-v1');
    expect(result.entries[0]?.resources[0]?.metadata.labels?.['app.oam.dev/appRevision']).toBe('example-app-v1');
    const revised = dryRun({ application: fixtureText('seed/basic.yaml'), clusters, revision: 'example-app-v9' });
    expect(revised.entries[0]?.resources[0]?.metadata.labels?.['app.oam.dev/appRevision']).toBe('example-app-v9');
  });
});

describe('dryRun without a cluster registry', () => {
  it('assumes the clusters the topologies name, with no labels', () => {
    const result = dryRun({ application: fixtureText('seed/basic.yaml') });
    expect(result.clustersAssumed).toBe(true);
    expect(result.clusters).toEqual([
      { name: 'beijing-1', labels: {} },
      { name: 'beijing-2', labels: {} },
    ]);
    expect(summarise('basic', false)).toEqual(summarise('basic'));
  });

  it('cannot satisfy a label selector', () => {
    expect(thrown(() => dryRun({ application: fixtureText('seed/intermediate.yaml') }))).toBeInstanceOf(PlacementError);
  });
});

describe('parseClusterList', () => {
  it('reads the registry file', () => {
    expect(parseClusterList(clusters)).toEqual(seedClusters);
  });

  it.each([
    ['{"name": "a"}', '', 'expected a list'],
    ['- name: Beijing\n', '[0].name', "cluster name must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit"],
    ['- name: a\n  labels: {tier: 1}\n', '[0].labels.tier', 'expected a string'],
    ['- name: a\n  region: x\n', '[0].region', 'unknown field'],
  ])('refuses %j', (text, path, message) => {
    const error = thrown(() => parseClusterList(text));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ path, message }]);
  });
});
