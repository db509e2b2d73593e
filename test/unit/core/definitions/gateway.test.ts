import { describe, expect, it } from 'vitest';
import { gateway } from '../../../../lib/core/definitions/traits/gateway.ts';
import type { KubernetesObject } from '../../../../lib/core/object/kubernetes-object.ts';

const workload: KubernetesObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };
const render = (properties: Record<string, unknown>) => gateway.render(properties, { appName: 'shop', componentName: 'web', workload });

describe('gateway rendering', () => {
  it('renders a Service and an Ingress named after the component, the class in an annotation by default', () => {
    const { patch, outputs } = render({ domain: 'testsvc-mc.example.com', http: { '/': 8000 } });
    expect(patch).toBeUndefined();
    expect(outputs).toEqual([
      {
        name: 'service',
        object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { 'app.oam.dev/component': 'web' }, ports: [{ name: 'port-8000', port: 8000, targetPort: 8000 }] } },
      },
      {
        name: 'ingress',
        object: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
          spec: {
            rules: [
              {
                host: 'testsvc-mc.example.com',
                http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 8000 } } } }] },
              },
            ],
          },
        },
      },
    ]);
  });

  it('puts the class in spec.ingressClassName with classInSpec, for clusters older than 1.20', () => {
    const ingress = render({ domain: 'a.example.com', http: { '/': 80 }, class: 'traefik', classInSpec: true }).outputs[1]?.object;
    expect(ingress?.metadata).toEqual({ name: 'web' });
    expect(ingress?.spec).toMatchObject({ ingressClassName: 'traefik' });
  });

  it('gives each path a rule and each distinct port one named Service port', () => {
    const { outputs } = render({ domain: 'a.example.com', http: { '/': 80, '/api': 8080, '/static': 80 } });
    expect(outputs[0]?.object.spec).toMatchObject({ ports: [{ name: 'port-80', port: 80, targetPort: 80 }, { name: 'port-8080', port: 8080, targetPort: 8080 }] });
    expect(outputs[1]?.object.spec).toMatchObject({ rules: [{ http: { paths: [{ path: '/' }, { path: '/api' }, { path: '/static' }] } }] });
  });
});

describe('gateway health', () => {
  const service = (clusterIP?: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: clusterIP === undefined ? {} : { clusterIP } }) as KubernetesObject;
  const ingress = (loadBalancer?: Record<string, unknown>[]) =>
    ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { rules: [{ host: 'testsvc-mc.example.com' }] },
      ...(loadBalancer === undefined ? {} : { status: { loadBalancer: { ingress: loadBalancer } } }),
    }) as KubernetesObject;
  const health = (outputs: Record<string, KubernetesObject>) => gateway.health({ appName: 'example-app', output: workload, outputs });

  it.each<[string, Record<string, KubernetesObject>, boolean, string]>([
    ['a load balancer with an IP', { service: service('10.0.0.7'), ingress: ingress([{ ip: '60.205.222.30' }]) }, true, 'Visiting URL: testsvc-mc.example.com, IP: 60.205.222.30'],
    ['a load balancer with a host name only', { service: service('10.0.0.7'), ingress: ingress([{ hostname: 'lb.example.com' }]) }, true, 'Visiting URL: testsvc-mc.example.com'],
    ['no load balancer yet', { service: service('10.0.0.7'), ingress: ingress() }, true, "No loadBalancer found, visiting by using 'vela port-forward example-app'\n"],
    ['an empty load balancer list', { service: service('10.0.0.7'), ingress: ingress([]) }, true, "No loadBalancer found, visiting by using 'vela port-forward example-app'\n"],
    ['a Service without cluster IP', { service: service(), ingress: ingress([{ ip: '60.205.222.30' }]) }, false, 'Visiting URL: testsvc-mc.example.com, IP: 60.205.222.30'],
    ['a headless-looking empty cluster IP', { service: service(''), ingress: ingress() }, false, "No loadBalancer found, visiting by using 'vela port-forward example-app'\n"],
  ])('%s', (_name, outputs, healthy, message) => {
    expect(health(outputs)).toEqual({ healthy, message });
  });
});
