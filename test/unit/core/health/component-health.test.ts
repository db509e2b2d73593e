import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../../../lib/core/admission/parse-application.ts';
import { componentHealth } from '../../../../lib/core/health/component-health.ts';
import type { KubernetesObject } from '../../../../lib/core/object/kubernetes-object.ts';
import { planWorkflow } from '../../../../lib/core/workflow/plan-workflow.ts';
import { fixtureText, seedClusters } from '../../support/builders.ts';

const plan = planWorkflow(parseApplication(fixtureText('seed/basic.yaml')), seedClusters, { revision: 'example-app-v1' });
const placement = plan.steps[0]?.placements[0];
if (placement === undefined) throw new Error('the basic seed plans one placement');
const [component] = placement.components;
if (component === undefined) throw new Error('the basic seed has one component');

/** The rendered objects as the cluster would return them, with `status` filled in by `change`. */
function live(change: (object: KubernetesObject) => KubernetesObject | undefined): KubernetesObject[] {
  return placement?.resources.flatMap((object) => change(structuredClone(object)) ?? []) ?? [];
}

function running(object: KubernetesObject): KubernetesObject {
  if (object.kind === 'Deployment') return { ...object, metadata: { ...object.metadata, generation: 1 }, status: { readyReplicas: 3, updatedReplicas: 3, replicas: 3, observedGeneration: 1 } };
  if (object.kind === 'Service') return { ...object, spec: { ...(object.spec as object), clusterIP: '10.96.0.12' } };
  return { ...object, status: { loadBalancer: { ingress: [{ ip: '60.205.222.30' }] } } };
}

const check = (liveObjects: KubernetesObject[]) => componentHealth({ appName: 'example-app', component, rendered: placement.resources, live: liveObjects });

describe('componentHealth', () => {
  it('reports the seed service as vela status does: Healthy Ready:3/3, scaler, gateway with URL and IP', () => {
    expect(check(live(running))).toEqual({
      healthy: true,
      message: 'Ready:3/3',
      traits: [
        { type: 'scaler', healthy: true, message: '' },
        { type: 'gateway', healthy: true, message: 'Visiting URL: testsvc-mc.example.com, IP: 60.205.222.30' },
      ],
    });
  });

  it('is unhealthy while replicas start, with the count in the message', () => {
    const starting = live((object) => (object.kind === 'Deployment' ? { ...running(object), status: { readyReplicas: 1, updatedReplicas: 3, replicas: 3, observedGeneration: 1 } } : running(object)));
    expect(check(starting)).toMatchObject({ healthy: false, message: 'Ready:1/3' });
  });

  it('is unhealthy when a trait is, keeping its own message', () => {
    const noClusterIP = live((object) => (object.kind === 'Service' ? object : running(object)));
    expect(check(noClusterIP)).toEqual({
      healthy: false,
      message: 'Ready:3/3',
      traits: [
        { type: 'scaler', healthy: true, message: '' },
        { type: 'gateway', healthy: false, message: 'Visiting URL: testsvc-mc.example.com, IP: 60.205.222.30' },
      ],
    });
  });

  it('shows the no-load-balancer message until the Ingress gets an address', () => {
    const pending = live((object) => (object.kind === 'Ingress' ? object : running(object)));
    expect(check(pending).traits[1]).toEqual({ type: 'gateway', healthy: true, message: "No loadBalancer found, visiting by using 'vela port-forward example-app'\n" });
  });

  it('names an object that is not in the cluster yet', () => {
    const noIngress = live((object) => (object.kind === 'Ingress' ? undefined : running(object)));
    expect(check(noIngress)).toMatchObject({ healthy: false, message: 'Ready:3/3', traits: [{ healthy: true }, { healthy: false, message: 'Ingress default/hello-world-server not found' }] });
    expect(check([])).toMatchObject({ healthy: false, message: 'Deployment default/hello-world-server not found' });
  });

  it('looks only at the objects of its component, told apart by their OAM labels', () => {
    const relabel = (object: KubernetesObject): KubernetesObject => ({
      ...object,
      metadata: { ...object.metadata, name: `other-${object.metadata.name}`, labels: { ...object.metadata.labels, 'app.oam.dev/component': 'other' } },
    });
    const rendered = [...placement.resources, ...placement.resources.map(relabel)];
    const liveObjects = [...live(running), ...placement.resources.map(relabel)];
    expect(componentHealth({ appName: 'example-app', component, rendered, live: liveObjects })).toMatchObject({ healthy: true, message: 'Ready:3/3' });
    expect(componentHealth({ appName: 'example-app', component: { ...component, name: 'other' }, rendered, live: liveObjects })).toMatchObject({ healthy: false, message: 'Ready:0/3' });
  });

  it('refuses a component whose workload is not among the rendered objects', () => {
    const missing = { ...component, name: 'missing' };
    expect(() => componentHealth({ appName: 'example-app', component: missing, rendered: placement.resources, live: live(running) })).toThrow('the rendered objects hold no workload of component missing');
  });
});
