import { describe, expect, it } from 'vitest';
import { applicationFromObject } from '../../../../lib/core/admission/parse-application.ts';
import { confinementIssues, discoveredKindProblems, unclassifiedKinds } from '../../../../lib/core/tenancy/confinement.ts';
import { planWorkflow } from '../../../../lib/core/workflow/plan-workflow.ts';

const teamA = { tokenId: 'abc', namespaces: ['team-a'] };
const clusters = [
  { name: 'beijing-1', labels: {} },
  { name: 'beijing-2', labels: {} },
];
const widget = (namespace?: string) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', ...(namespace ? { namespace } : {}) }, spec: {} });

function app(objects: unknown[]) {
  return applicationFromObject({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'tenant', namespace: 'team-a' },
    spec: {
      components: [{ name: 'extras', type: 'k8s-objects', properties: { objects } }],
      policies: [{ type: 'topology', name: 'beijing', properties: { clusters: ['beijing-1', 'beijing-2'] } }],
    },
  });
}
const placements = (application: ReturnType<typeof app>) => planWorkflow(application, clusters, { revision: 'tenant-v1' }).steps.flatMap((step) => step.placements);
const path = 'spec.components[0].properties.objects[0]';

describe('kinds only discovery can classify', () => {
  it('are listed by cluster for a scoped token only, once each', () => {
    const application = app([widget(), { ...widget(), metadata: { name: 'w2' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]);
    expect([...unclassifiedKinds(placements(application), teamA)]).toEqual([
      ['beijing-1', [{ apiVersion: 'example.com/v1', kind: 'Widget' }]],
      ['beijing-2', [{ apiVersion: 'example.com/v1', kind: 'Widget' }]],
    ]);
    expect(unclassifiedKinds(placements(application), { namespaces: [] }).size).toBe(0);
  });

  it('pass when every placed cluster says namespaced, and are then held to the namespaces', () => {
    const discovered = { 'beijing-1': { 'example.com/v1/Widget': 'namespaced' as const }, 'beijing-2': { 'example.com/v1/Widget': 'namespaced' as const } };
    expect(confinementIssues(app([widget()]), placements(app([widget()])), teamA, [], { discovered })).toEqual([]);
    const elsewhere = app([widget('kube-system')]);
    expect(confinementIssues(elsewhere, placements(elsewhere), teamA, [], { discovered })).toEqual([
      { path, message: 'Widget kube-system/w is in namespace kube-system; this token is limited to namespaces team-a, not kube-system' },
    ]);
  });

  it('are refused where a cluster says cluster-scoped or does not serve them, naming the cluster', () => {
    const discovered = { 'beijing-1': { 'example.com/v1/Widget': 'cluster' as const }, 'beijing-2': { 'example.com/v1/Widget': 'absent' as const } };
    expect(confinementIssues(app([widget()]), placements(app([widget()])), teamA, [], { discovered })).toEqual([
      { path, message: expect.stringMatching(/^Widget w \(example\.com\/v1\) is cluster-scoped, says the discovery of cluster beijing-1; this token is limited to namespaces team-a/) },
      { path, message: expect.stringMatching(/^Widget w \(example\.com\/v1\) is not a kind cluster beijing-2 serves \(its discovery does not list it\)/) },
    ]);
  });

  it('without an answer are refused at submit and deferred at step start, unless their own namespace is outside', () => {
    const application = app([widget()]);
    expect(confinementIssues(application, placements(application), teamA, [], { unanswered: 'refuse' })).toHaveLength(1);
    expect(confinementIssues(application, placements(application), teamA, [], { unanswered: 'defer' })).toEqual([]);
    const elsewhere = app([widget('kube-system')]);
    expect(confinementIssues(elsewhere, placements(elsewhere), teamA, [], { unanswered: 'defer' }).map((issue) => issue.message)).toEqual([
      'Widget kube-system/w is in namespace kube-system; this token is limited to namespaces team-a, not kube-system',
    ]);
  });

  it("are checked by the applier against the answers it just read; known kinds are not its business", () => {
    const where = { cluster: 'beijing-1', namespace: 'team-a' };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team-a' } };
    expect(discoveredKindProblems([widget('team-a'), configMap], where, teamA, { 'example.com/v1/Widget': 'namespaced' })).toEqual([]);
    expect(discoveredKindProblems([widget('team-a')], where, teamA, { 'example.com/v1/Widget': 'cluster' })).toEqual([
      expect.stringMatching(/^Widget w \(example\.com\/v1\) is cluster-scoped, says the discovery of cluster beijing-1/),
    ]);
    expect(discoveredKindProblems([widget('team-a')], where, teamA, {})).toEqual([expect.stringMatching(/cannot classify as namespaced/)]);
    expect(discoveredKindProblems([widget('team-a')], where, undefined, {})).toEqual([]);
  });
});
