import { describe, expect, it } from 'vitest';
import { applicationFromObject } from '../../../../lib/core/admission/parse-application.ts';
import { kindScope } from '../../../../lib/core/object/cluster-scoped-kinds.ts';
import { confinementIssues, submitConfinementIssues } from '../../../../lib/core/tenancy/confinement.ts';
import { planWorkflow } from '../../../../lib/core/workflow/plan-workflow.ts';

const teamA = { tokenId: 'abc', namespaces: ['team-a'] };
const clusters = [
  { name: 'beijing-1', labels: { region: 'beijing' } },
  { name: 'beijing-2', labels: { region: 'beijing' } },
];

function app(objects: unknown[], topology: Record<string, unknown> = {}, namespace = 'team-a') {
  return applicationFromObject({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'tenant', namespace },
    spec: {
      components: [
        { name: 'web', type: 'webservice', properties: { image: 'nginx' } },
        { name: 'extras', type: 'k8s-objects', properties: { objects } },
      ],
      policies: [{ type: 'topology', name: 'beijing', properties: { clusters: ['beijing-1', 'beijing-2'], ...topology } }],
    },
  });
}

const configMap = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data: { a: 'b' } });
const clusterAdminBinding = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'escalate' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'team-a' }],
};

const placements = (application: ReturnType<typeof app>) =>
  planWorkflow(application, clusters, { revision: 'tenant-v1' }).steps.flatMap((step) => step.placements);

describe('confinementIssues', () => {
  it('lets a team-a token deploy namespaced objects into team-a', () => {
    const application = app([configMap('settings'), configMap('other', 'team-a')]);
    expect(confinementIssues(application, placements(application), teamA, clusters)).toEqual([]);
    expect(submitConfinementIssues(application, clusters, teamA)).toEqual([]);
  });

  it('refuses an application namespace outside the token', () => {
    const application = app([configMap('settings')], {}, 'team-b');
    expect(confinementIssues(application, placements(application), teamA, clusters)).toContainEqual({
      path: 'metadata.namespace',
      message: 'deploys into namespace team-b; this token is limited to namespaces team-a, not team-b',
    });
  });

  it('refuses topology.namespace outside the token, once however many clusters repeat it', () => {
    const application = app([configMap('settings')], { namespace: 'kube-system' });
    const issues = confinementIssues(application, placements(application), teamA, clusters);
    expect(issues[0]).toEqual({
      path: 'spec.policies[0].properties.namespace',
      message: 'deploys into namespace kube-system; this token is limited to namespaces team-a, not kube-system',
    });
    // topology.namespace moves every object: each is named too, once.
    expect(issues.map((issue) => issue.path)).toEqual(['spec.policies[0].properties.namespace', 'spec.components[0]', 'spec.components[1].properties.objects[0]']);
  });

  it("refuses an object's own metadata.namespace outside the token", () => {
    const application = app([configMap('sneaky'), configMap('sneaky', 'kube-system')]);
    expect(submitConfinementIssues(application, clusters, teamA)).toEqual([
      {
        path: 'spec.components[1].properties.objects[1]',
        message: 'ConfigMap kube-system/sneaky is in namespace kube-system; this token is limited to namespaces team-a, not kube-system',
      },
    ]);
  });

  it('refuses a ClusterRoleBinding and a Namespace: cluster-scoped kinds', () => {
    const application = app([clusterAdminBinding, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-z' } }]);
    expect(submitConfinementIssues(application, clusters, teamA)).toEqual([
      {
        path: 'spec.components[1].properties.objects[0]',
        message: 'ClusterRoleBinding escalate (rbac.authorization.k8s.io/v1) is cluster-scoped; this token is limited to namespaces team-a and may apply only namespaced objects inside them',
      },
      {
        path: 'spec.components[1].properties.objects[1]',
        message: 'Namespace team-z (v1) is cluster-scoped; this token is limited to namespaces team-a and may apply only namespaced objects inside them',
      },
    ]);
  });

  it('lets createNamespace create one of the token\'s own namespaces, not another', () => {
    expect(submitConfinementIssues(app([configMap('settings')], { createNamespace: true }), clusters, teamA)).toEqual([]);
    const elsewhere = app([configMap('settings')], { createNamespace: true, namespace: 'team-b' });
    expect(submitConfinementIssues(elsewhere, clusters, teamA)[0]?.path).toBe('spec.policies[0].properties.namespace');
  });

  it('refuses a kind it cannot classify', () => {
    const application = app([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    expect(submitConfinementIssues(application, clusters, teamA)).toEqual([
      {
        path: 'spec.components[1].properties.objects[0]',
        message: expect.stringMatching(/^Widget w \(example\.com\/v1\) is a kind Flotilla cannot classify as namespaced/),
      },
    ]);
  });

  it('leaves an unlimited (admin) token or a revision stored without a scope unrestricted', () => {
    const application = app([clusterAdminBinding, configMap('sneaky', 'kube-system')], { namespace: 'kube-system', createNamespace: true }, 'team-b');
    expect(confinementIssues(application, placements(application), { namespaces: [] }, clusters)).toEqual([]);
    expect(confinementIssues(application, placements(application), undefined, clusters)).toEqual([]);
    expect(submitConfinementIssues(application, [], { namespaces: [] })).toEqual([]);
  });

  it('checks at submit even a topology cluster that is not registered yet', () => {
    const application = app([clusterAdminBinding]);
    expect(submitConfinementIssues(application, [], teamA).map((issue) => issue.path)).toEqual(['spec.components[1].properties.objects[0]']);
  });

  it('passes over a step whose selector matches nothing now (the planner checks it when it starts)', () => {
    const application = applicationFromObject({
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: 'tenant', namespace: 'team-a' },
      spec: {
        components: [{ name: 'extras', type: 'k8s-objects', properties: { objects: [clusterAdminBinding] } }],
        policies: [{ type: 'topology', name: 'nowhere', properties: { clusterLabelSelector: { region: 'mars' } } }],
      },
    });
    expect(submitConfinementIssues(application, clusters, teamA)).toEqual([]);
  });
});

describe('kindScope', () => {
  it.each([
    ['v1', 'ConfigMap', 'namespaced'],
    ['apps/v1', 'Deployment', 'namespaced'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'namespaced'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'cluster'],
    ['v1', 'Namespace', 'cluster'],
    ['example.com/v1', 'Widget', 'unknown'],
  ])('%s %s is %s', (apiVersion, kind, expected) => {
    expect(kindScope(apiVersion, kind)).toBe(expected);
  });
});
