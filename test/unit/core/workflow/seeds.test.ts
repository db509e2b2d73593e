import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../../../lib/core/admission/parse-application.ts';
import type { KubernetesObject } from '../../../../lib/core/object/kubernetes-object.ts';
import { planWorkflow } from '../../../../lib/core/workflow/plan-workflow.ts';
import type { PlannedPlacement } from '../../../../lib/core/workflow/workflow-plan.ts';
import { fixtureText, seedClusters } from '../../support/builders.ts';

const plan = (name: string) => planWorkflow(parseApplication(fixtureText(`seed/${name}.yaml`)), seedClusters, { revision: 'example-app-v1' });
const kind = (placement: PlannedPlacement | undefined, wanted: string): KubernetesObject | undefined => placement?.resources.find((object) => object.kind === wanted);
const replicas = (placement: PlannedPlacement | undefined) => (kind(placement, 'Deployment')?.spec as { replicas?: number } | undefined)?.replicas;

describe('the seed article, planned against beijing-1, beijing-2 and us-west-1 (provider: AWS)', () => {
  it('basic.yaml: one step deploy-beijing-clusters to both Beijing clusters, 3 replicas, a Service and an Ingress', () => {
    const { mode, steps } = plan('basic');
    expect(mode).toBe('DAG');
    expect(steps.map((step) => step.name)).toEqual(['deploy-beijing-clusters']);
    const placements = steps[0]?.placements ?? [];
    expect(placements.map((placement) => [placement.cluster, placement.namespace])).toEqual([
      ['beijing-1', 'default'],
      ['beijing-2', 'default'],
    ]);
    for (const placement of placements) {
      expect(placement.resources.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['Deployment/hello-world-server', 'Service/hello-world-server', 'Ingress/hello-world-server']);
      expect(replicas(placement)).toBe(3);
      expect(kind(placement, 'Deployment')?.spec).toMatchObject({ template: { spec: { containers: [{ name: 'hello-world-server', image: 'crccheck/hello-world', ports: [{ containerPort: 8000 }] }] } } });
      expect(kind(placement, 'Service')?.spec).toMatchObject({ ports: [{ port: 8000, targetPort: 8000 }] });
      expect(kind(placement, 'Ingress')?.spec).toMatchObject({ rules: [{ host: 'testsvc-mc.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'hello-world-server', port: { number: 8000 } } } }] } }] });
    }
  });

  it('intermediate.yaml: two DAG steps, the second selecting us-west-1 by provider: AWS', () => {
    const { mode, steps } = plan('intermediate');
    expect(mode).toBe('DAG');
    expect(steps.map((step) => [step.name, step.type, step.placements.map((placement) => placement.cluster)])).toEqual([
      ['deploy-beijing-clusters', 'deploy', ['beijing-1', 'beijing-2']],
      ['deploy-topology-aws', 'deploy', ['us-west-1']],
    ]);
    expect(steps.flatMap((step) => step.placements.map(replicas))).toEqual([3, 3, 3]);
  });

  it('advanced.yaml: StepByStep, deploy-beijing with 3 replicas on Beijing, then deploy-aws with 5 on us-west-1', () => {
    const { mode, steps } = plan('advanced');
    expect(mode).toBe('StepByStep');
    expect(steps.map((step) => [step.name, Object.fromEntries(step.placements.map((placement) => [placement.cluster, replicas(placement)]))])).toEqual([
      ['deploy-beijing', { 'beijing-1': 3, 'beijing-2': 3 }],
      ['deploy-aws', { 'us-west-1': 5 }],
    ]);
    expect(steps[1]?.properties).toEqual({ policies: ['override-high-availability', 'topology-aws'], auto: true });
  });
});
