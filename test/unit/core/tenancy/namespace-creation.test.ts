import { describe, expect, it } from 'vitest';
import { applicationFromObject } from '../../../../lib/core/admission/parse-application.ts';
import { checkWith } from '../../../../lib/core/errors/zod-issues.ts';
import { CreatableNamespaces } from '../../../../lib/core/tenancy/creatable-namespaces.ts';
import { namespaceCreationIssues } from '../../../../lib/core/tenancy/namespace-creation.ts';
import { planWorkflow } from '../../../../lib/core/workflow/plan-workflow.ts';

const clusters = [
  { name: 'beijing-1', labels: {} },
  { name: 'beijing-2', labels: {} },
];

function app(topology: Record<string, unknown>) {
  return applicationFromObject({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'tenant', namespace: 'team-a' },
    spec: {
      components: [{ name: 'web', type: 'webservice', properties: { image: 'nginx' } }],
      policies: [
        { type: 'topology', name: 'plain', properties: { clusters: ['beijing-2'] } },
        { type: 'topology', name: 'beijing', properties: { clusters: ['beijing-1', 'beijing-2'], ...topology } },
      ],
      workflow: { steps: [{ name: 'deploy', type: 'deploy', properties: { policies: ['plain', 'beijing'] } }] },
    },
  });
}
const placements = (application: ReturnType<typeof app>) => planWorkflow(application, clusters, { revision: 'tenant-v1' }).steps.flatMap((step) => step.placements);

describe('namespaceCreationIssues', () => {
  it('refuses createNamespace beyond a cluster list, naming the cluster, the namespace and the list', () => {
    const application = app({ namespace: 'team-c', createNamespace: true });
    const limits = [{ name: 'beijing-1', creatableNamespaces: ['team-a', 'team-b'] }, { name: 'beijing-2', creatableNamespaces: [] }];
    expect(namespaceCreationIssues(application, placements(application), limits)).toEqual([
      { path: 'spec.policies[1].properties.createNamespace', message: 'cluster beijing-1 lets Flotilla create only namespaces team-a, team-b, not team-c (createNamespace)' },
      { path: 'spec.policies[1].properties.createNamespace', message: 'cluster beijing-2 lets Flotilla create no namespaces, not team-c (createNamespace)' },
    ]);
  });

  it('allows a listed namespace, a cluster without a list, and placements that create nothing', () => {
    const application = app({ namespace: 'team-b', createNamespace: true });
    expect(namespaceCreationIssues(application, placements(application), [{ name: 'beijing-1', creatableNamespaces: ['team-b'] }, { name: 'beijing-2' }])).toEqual([]);
    const plain = app({ namespace: 'team-c' });
    expect(namespaceCreationIssues(plain, placements(plain), [{ name: 'beijing-1', creatableNamespaces: [] }])).toEqual([]);
  });
});

describe('CreatableNamespaces', () => {
  it('takes DNS-1123 names, each once, at most 100', () => {
    expect(checkWith(CreatableNamespaces, ['team-a', 'team-b'], 'creatableNamespaces').ok).toBe(true);
    const bad = checkWith(CreatableNamespaces, ['Team A', 'team-b', 'team-b'], 'creatableNamespaces');
    expect(bad.ok ? [] : bad.issues.map((issue) => issue.path)).toEqual(['creatableNamespaces[0]', 'creatableNamespaces[2]']);
    const many = checkWith(CreatableNamespaces, Array.from({ length: 101 }, (_, i) => `ns-${i}`), 'creatableNamespaces');
    expect(many.ok ? [] : many.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/at most 100 namespaces/)]);
  });
});
