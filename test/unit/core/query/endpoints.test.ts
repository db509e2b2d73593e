import { describe, expect, it } from 'vitest';
import { endpointObjects, endpointOf, podSelections } from '../../../../lib/core/query/endpoints.ts';

const labels = { 'app.oam.dev/component': 'web' };

describe('endpointOf', () => {
  it('a LoadBalancer Service: its addresses with each port, its node ports, its cluster IP', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', labels },
      spec: { type: 'LoadBalancer', clusterIP: '10.96.0.7', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }] } },
    };
    expect(endpointOf(service)).toEqual({
      component: 'web',
      kind: 'Service',
      name: 'web',
      type: 'LoadBalancer',
      addresses: ['203.0.113.9:80', 'lb.example.com:80', 'nodePort 30080/TCP', '10.96.0.7:80 (in cluster)'],
    });
  });

  it('a headless ClusterIP Service has no address', () => {
    expect(endpointOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', ports: [{ port: 5432 }] } })).toEqual({
      kind: 'Service',
      name: 'db',
      type: 'ClusterIP',
      addresses: [],
    });
  });

  it('an Ingress: a URL per host and path (https for TLS hosts), then its load-balancer address', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', labels },
      spec: {
        tls: [{ hosts: ['secure.example.com'] }],
        rules: [
          { host: 'web.example.com', http: { paths: [{ path: '/' }, { path: '/api' }] } },
          { host: 'secure.example.com', http: { paths: [{ path: '/' }] } },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.9' }] } },
    };
    expect(endpointOf(ingress)?.addresses).toEqual(['http://web.example.com/', 'http://web.example.com/api', 'https://secure.example.com/', '192.0.2.9 (load balancer)']);
  });

  it('an Ingress rule without a host is reached on the load balancer', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'any' }, spec: { rules: [{ http: { paths: [{ path: '/x' }] } }] }, status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } } };
    expect(endpointOf(ingress)?.addresses).toEqual(['http://192.0.2.1/x']);
  });

  it('other kinds have none', () => {
    expect(endpointOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toBeUndefined();
  });
});

describe('endpointObjects and podSelections', () => {
  const rendered = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'n', labels }, spec: { selector: { matchLabels: { 'app.oam.dev/component': 'web' } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'n', labels } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'n', labels } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one-off', namespace: 'n', labels: { 'app.oam.dev/component': 'job' } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels } },
  ];

  it('Services and Ingresses are the objects with addresses', () => {
    expect(endpointObjects(rendered).map((ref) => `${ref.kind}/${ref.name}`)).toEqual(['Service/web', 'Ingress/web']);
  });

  it("pods are found by each workload's selector, or by name for a Pod; narrowed to a component", () => {
    expect(podSelections(rendered)).toEqual([
      { component: 'web', matchLabels: { 'app.oam.dev/component': 'web' } },
      { component: 'job', podName: 'one-off' },
    ]);
    expect(podSelections(rendered, 'job')).toEqual([{ component: 'job', podName: 'one-off' }]);
  });
});
