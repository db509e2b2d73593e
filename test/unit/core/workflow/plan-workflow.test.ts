import { describe, expect, it } from 'vitest';
import { PlacementError } from '../../../../lib/core/errors/placement-error.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import type { ClusterInfo } from '../../../../lib/core/policy/cluster-info.ts';
import { outlineWorkflow, planStep, planWorkflow } from '../../../../lib/core/workflow/plan-workflow.ts';
import { stepId } from '../../../../lib/core/workflow/step-id.ts';
import type { PlannedStep } from '../../../../lib/core/workflow/workflow-plan.ts';
import { app, seedClusters, thrown } from '../../support/builders.ts';

const options = { revision: 'shop-v3' };
const topology = (name: string, properties: Record<string, unknown>) => ({ name, type: 'topology', properties });
const override = (name: string, replicas: number) => ({ name, type: 'override', properties: { components: [{ traits: [{ type: 'scaler', properties: { replicas } }] }] } });
const scaled = { name: 'web', type: 'webservice', properties: { image: 'nginx' }, traits: [{ type: 'scaler', properties: { replicas: 1 } }] };
const deploy = (name: string, policies: string[], properties: Record<string, unknown> = {}) => ({ name, type: 'deploy', properties: { policies, ...properties } });

function replicasByCluster(step: PlannedStep | undefined): Record<string, unknown> {
  return Object.fromEntries((step?.placements ?? []).map((placement) => [placement.cluster, (placement.resources[0]?.spec as { replicas?: number }).replicas]));
}

describe('the default workflow (no declared steps)', () => {
  const application = app({
    components: [scaled],
    policies: [topology('beijing', { clusters: ['beijing-1', 'beijing-2'] }), override('first', 2), topology('aws', { clusterLabelSelector: { provider: 'AWS' } }), override('second', 4)],
  });
  const plan = planWorkflow(application, seedClusters, options);

  it('runs as a DAG, v1.3 style', () => {
    expect(plan.mode).toBe('DAG');
  });

  it('has one deploy-<topology> step per topology policy, every override in declaration order before the topology', () => {
    expect(plan.steps.map((step) => [step.name, step.type, step.properties])).toEqual([
      ['deploy-beijing', 'deploy', { policies: ['first', 'second', 'beijing'], auto: true }],
      ['deploy-aws', 'deploy', { policies: ['first', 'second', 'aws'], auto: true }],
    ]);
    expect(plan.steps.map((step) => step.dependsOn)).toEqual([[], []]);
  });

  it('applies the overrides in order, the later winning', () => {
    expect(plan.steps.map(replicasByCluster)).toEqual([{ 'beijing-1': 4, 'beijing-2': 4 }, { 'us-west-1': 4 }]);
  });

  it('names the app and revision and gives each step its stable id', () => {
    expect(plan.app).toEqual({ name: 'shop', namespace: 'default' });
    expect(plan.revision).toBe('shop-v3');
    expect(plan.steps.map((step) => step.id)).toEqual([stepId('default/shop', 'deploy-beijing'), stepId('default/shop', 'deploy-aws')]);
  });
});

describe('declared steps', () => {
  const policies = [topology('beijing', { clusters: ['beijing-1', 'beijing-2'] }), topology('aws', { clusterLabelSelector: { provider: 'AWS' } }), override('small', 2), override('big', 6)];

  it('run StepByStep, in the declared order', () => {
    const plan = planWorkflow(app({ components: [scaled], policies, workflow: { steps: [deploy('second', ['aws']), deploy('first', ['beijing'])] } }), seedClusters, options);
    expect(plan.mode).toBe('StepByStep');
    expect(plan.steps.map((step) => step.name)).toEqual(['second', 'first']);
  });

  it('apply the overrides in the order the step lists them, not the order they are declared', () => {
    const plan = planWorkflow(app({ components: [scaled], policies, workflow: { steps: [deploy('one', ['big', 'small', 'beijing']), deploy('two', ['small', 'big', 'beijing'])] } }), seedClusters, options);
    expect(plan.steps.map(replicasByCluster)).toEqual([{ 'beijing-1': 2, 'beijing-2': 2 }, { 'beijing-1': 6, 'beijing-2': 6 }]);
  });

  it('take placements from every topology listed, wherever it is in the list, de-duplicated', () => {
    const plan = planWorkflow(app({ components: [scaled], policies, workflow: { steps: [deploy('all', ['aws', 'small', 'beijing', 'aws'])] } }), seedClusters, options);
    expect(plan.steps[0]?.placements.map((placement) => placement.cluster)).toEqual(['us-west-1', 'beijing-1', 'beijing-2']);
  });

  it('carry parallelism, timeout and dependsOn', () => {
    const plan = planWorkflow(
      app({ policies, workflow: { steps: [deploy('one', ['beijing']), { name: 'two', type: 'deploy', properties: { policies: ['aws'], parallelism: 2 }, timeout: '1h30m', dependsOn: ['one'] }] } }),
      seedClusters,
      options,
    );
    expect(plan.steps[1]).toMatchObject({ name: 'two', dependsOn: ['one'], timeout: '1h30m', timeoutSeconds: 5400, properties: { policies: ['aws'], parallelism: 2, auto: true } });
    expect(plan.steps[0]).not.toHaveProperty('timeout');
  });

  it('include suspend steps, which place nothing', () => {
    const plan = planWorkflow(
      app({ policies, workflow: { steps: [deploy('one', ['beijing']), { name: 'approve', type: 'suspend', properties: { duration: '10m', message: 'check the dashboards' } }, deploy('two', ['aws'])] } }),
      seedClusters,
      options,
    );
    expect(plan.steps[1]).toEqual({
      id: stepId('default/shop', 'approve'),
      name: 'approve',
      type: 'suspend',
      dependsOn: [],
      properties: { duration: '10m', message: 'check the dashboards' },
      durationSeconds: 600,
      placements: [],
    });
  });

  it('put a manual-approve suspend step before a deploy step with auto: false, unless a suspend step precedes it', () => {
    const plan = planWorkflow(
      app({ policies, workflow: { steps: [deploy('one', ['beijing'], { auto: false }), { name: 'wait', type: 'suspend' }, deploy('two', ['aws'], { auto: false })] } }),
      seedClusters,
      options,
    );
    expect(plan.steps.map((step) => [step.name, step.type])).toEqual([
      ['manual-approve-one', 'suspend'],
      ['one', 'deploy'],
      ['wait', 'suspend'],
      ['two', 'deploy'],
    ]);
  });
});

describe('placements', () => {
  it('expose the topology namespace and createNamespace, and put namespaced objects there', () => {
    const plan = planWorkflow(app({ policies: [topology('prod', { clusters: ['beijing-1'], namespace: 'shop-prod', createNamespace: true })] }), seedClusters, options);
    const [placement] = plan.steps[0]?.placements ?? [];
    expect(placement).toMatchObject({ cluster: 'beijing-1', namespace: 'shop-prod', createNamespace: true, components: [{ name: 'web', type: 'webservice', traits: [], dependsOn: [] }] });
    expect(placement?.resources.map((object) => object.metadata.namespace)).toEqual(['shop-prod']);
  });

  it('default to the app namespace without creating it', () => {
    const plan = planWorkflow(app({}, { namespace: 'shop' }), seedClusters, options);
    expect(plan.steps[0]?.placements[0]).toMatchObject({ namespace: 'shop', createNamespace: false });
  });

  it('list components in order with their dependencies and every object in apply order', () => {
    const components = [
      { name: 'base', type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }] } },
      { name: 'web', type: 'webservice', properties: { image: 'nginx' }, dependsOn: ['base'], traits: [{ type: 'scaler', properties: { replicas: 2 } }] },
    ];
    const [placement] = planWorkflow(app({ components }), seedClusters, options).steps[0]?.placements ?? [];
    expect(placement?.components).toEqual([
      { name: 'base', type: 'k8s-objects', traits: [], dependsOn: [] },
      { name: 'web', type: 'webservice', traits: ['scaler'], dependsOn: ['base'] },
    ]);
    expect(placement?.resources.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['Namespace/shop', 'Deployment/web']);
  });

  it('differ per cluster when override entries are scoped to clusters (Flotilla extension)', () => {
    const application = app({
      components: [scaled],
      policies: [
        topology('all', { clusterLabelSelector: {} }),
        { name: 'per-cluster', type: 'override', properties: { components: [{ clusters: ['beijing-2'], traits: [{ type: 'scaler', properties: { replicas: 2 } }] }, { clusterLabelSelector: { provider: 'AWS' }, traits: [{ type: 'scaler', properties: { replicas: 5 } }] }] } },
      ],
    });
    expect(replicasByCluster(planWorkflow(application, seedClusters, options).steps[0])).toEqual({ 'beijing-1': 1, 'beijing-2': 2, 'us-west-1': 5 });
  });

  it('share no object between placements', () => {
    const [first, second] = planWorkflow(app({ policies: [topology('two', { clusters: ['beijing-1', 'beijing-2'] })] }), seedClusters, options).steps[0]?.placements ?? [];
    if (first?.resources[0] === undefined || second?.resources[0] === undefined) throw new Error('expected two placements');
    first.resources[0].metadata.name = 'changed';
    expect(second.resources[0].metadata.name).toBe('web');
  });
});

describe('planning one step at a time', () => {
  const application = app({ policies: [topology('aws', { clusterLabelSelector: { provider: 'AWS' } })] });

  it('evaluates selectors against the registry as it is when the step starts', () => {
    const before: ClusterInfo[] = [{ name: 'us-west-1', labels: { provider: 'AWS' } }];
    const after: ClusterInfo[] = [...before, { name: 'us-east-1', labels: { provider: 'AWS' } }];
    expect(planStep(application, 'deploy-aws', before, options).placements.map((placement) => placement.cluster)).toEqual(['us-west-1']);
    expect(planStep(application, 'deploy-aws', after, options).placements.map((placement) => placement.cluster)).toEqual(['us-east-1', 'us-west-1']);
  });

  it('says which step could not be placed', () => {
    const error = thrown(() => planStep(application, 'deploy-aws', [{ name: 'beijing-1', labels: {} }], options));
    expect(error).toBeInstanceOf(PlacementError);
    expect(error).toMatchObject({ step: 'deploy-aws', policy: 'aws', message: 'failed to find any cluster matches given labels' });
  });

  it('refuses an unknown step name, listing the steps', () => {
    const error = thrown(() => planStep(application, 'deploy-gcp', seedClusters, options));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe("spec.workflow.steps: step deploy-gcp not found; the workflow's steps are deploy-aws");
  });

  it('outlines the workflow without looking at any cluster', () => {
    expect(outlineWorkflow(application, options)).toEqual({
      app: { name: 'shop', namespace: 'default' },
      revision: 'shop-v3',
      mode: 'DAG',
      steps: [{ id: stepId('default/shop', 'deploy-aws'), name: 'deploy-aws', type: 'deploy', dependsOn: [], properties: { policies: ['aws'], auto: true }, placements: [] }],
    });
  });
});
