import { describe, expect, it } from 'vitest';
import { webservice } from '../../../../lib/core/definitions/components/webservice.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import type { KubernetesObject } from '../../../../lib/core/object/kubernetes-object.ts';
import { thrown } from '../../support/builders.ts';

const context = { appName: 'shop', componentName: 'web' };
const render = (properties: Record<string, unknown>) => webservice.render(properties, context);
const container = (workload: KubernetesObject) => (workload.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];

describe('webservice rendering', () => {
  it('renders a Deployment selecting its pods by component, with one container named after it', () => {
    const { workload, outputs } = render({ image: 'crccheck/hello-world', port: 8000 });
    expect(workload).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { 'app.oam.dev/component': 'web' } },
        template: {
          metadata: { labels: { 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'web' } },
          spec: { containers: [{ name: 'web', image: 'crccheck/hello-world', ports: [{ containerPort: 8000 }] }] },
        },
      },
    });
    expect(outputs).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['no port at all', { image: 'x' }, { name: 'web', image: 'x' }],
    ['cmd and args', { image: 'x', cmd: ['run'], args: ['--fast'] }, { name: 'web', image: 'x', command: ['run'], args: ['--fast'] }],
    ['env', { image: 'x', env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, { name: 'web', image: 'x', env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }],
    ['cpu and memory as limits and requests', { image: 'x', cpu: '500m', memory: '1Gi' }, { name: 'web', image: 'x', resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } } }],
    ['a cpu written as a YAML number', { image: 'x', cpu: 0.5 }, { name: 'web', image: 'x', resources: { limits: { cpu: '0.5' }, requests: { cpu: '0.5' } } }],
    ['an image pull policy', { image: 'x', imagePullPolicy: 'Always' }, { name: 'web', image: 'x', imagePullPolicy: 'Always' }],
    ['ports, named and unnamed', { image: 'x', ports: [{ port: 80 }, { port: 9090, name: 'metrics', protocol: 'UDP' }] }, { name: 'web', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP', name: 'port-80' }, { containerPort: 9090, protocol: 'UDP', name: 'metrics' }] }],
    ['ports, which win over the legacy port', { image: 'x', port: 1, ports: [{ port: 80 }] }, { name: 'web', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP', name: 'port-80' }] }],
  ])('puts %s on the container', (_name, properties, expected) => {
    expect(container(render(properties).workload)).toEqual(expected);
  });

  it('puts labels, annotations and pull secrets on the pod template', () => {
    const { workload } = render({ image: 'x', labels: { tier: 'front' }, annotations: { note: 'hi' }, imagePullSecrets: ['registry'] });
    expect(workload.spec).toMatchObject({
      template: {
        metadata: { labels: { tier: 'front', 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'web' }, annotations: { note: 'hi' } },
        spec: { imagePullSecrets: [{ name: 'registry' }] },
      },
    });
  });

  it('exposes the ports marked expose through a Service named after the component', () => {
    const { outputs } = render({ image: 'x', ports: [{ port: 80, expose: true }, { port: 9090 }, { port: 443, name: 'tls', expose: true }], exposeType: 'NodePort' });
    expect(outputs).toEqual([
      {
        name: 'webserviceExpose',
        object: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web' },
          spec: {
            selector: { 'app.oam.dev/component': 'web' },
            ports: [
              { port: 80, targetPort: 80, name: 'port-80' },
              { port: 443, targetPort: 443, name: 'tls' },
            ],
            type: 'NodePort',
          },
        },
      },
    ]);
  });

  it.each([
    [{ image: 'x', port: 0 }, 'properties.port'],
    [{ image: 'x', port: 70000 }, 'properties.port'],
    [{ image: 'x', ports: [{ port: 80, protocol: 'HTTP' }] }, 'properties.ports[0].protocol'],
    [{ image: '' }, 'properties.image'],
    [{ image: 'x', exposeType: 'Ingress' }, 'properties.exposeType'],
  ])('refuses %j at %s', (properties, path) => {
    const error = thrown(() => render(properties));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details[0]?.path).toBe(path);
  });
});

describe('webservice health', () => {
  const live = (spec: number | undefined, status: Record<string, number>, generation = 2) =>
    ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation }, spec: spec === undefined ? {} : { replicas: spec }, status }) as KubernetesObject;
  const health = (object: KubernetesObject) => webservice.health({ appName: 'shop', output: object, outputs: {} });

  it.each<[string, KubernetesObject, boolean, string]>([
    ['all replicas ready, updated and current', live(3, { readyReplicas: 3, updatedReplicas: 3, replicas: 3, observedGeneration: 2 }), true, 'Ready:3/3'],
    ['a newer observed generation', live(3, { readyReplicas: 3, updatedReplicas: 3, replicas: 3, observedGeneration: 3 }), true, 'Ready:3/3'],
    ['an old observed generation', live(3, { readyReplicas: 3, updatedReplicas: 3, replicas: 3, observedGeneration: 1 }), false, 'Ready:3/3'],
    ['replicas still starting', live(3, { readyReplicas: 1, updatedReplicas: 3, replicas: 3, observedGeneration: 2 }), false, 'Ready:1/3'],
    ['an old replica still running', live(3, { readyReplicas: 3, updatedReplicas: 3, replicas: 4, observedGeneration: 2 }), false, 'Ready:3/3'],
    ['replicas not yet updated', live(3, { readyReplicas: 3, updatedReplicas: 2, replicas: 3, observedGeneration: 2 }), false, 'Ready:3/3'],
    ['no status yet', live(3, {}), false, 'Ready:0/3'],
    ['scaled to zero with no status', live(0, {}, 0), true, 'Ready:0/0'],
    ['no spec.replicas, which the API server defaults to 1', live(undefined, { readyReplicas: 1, updatedReplicas: 1, replicas: 1, observedGeneration: 2 }), true, 'Ready:1/1'],
  ])('%s', (_name, object, healthy, message) => {
    expect(health(object)).toEqual({ healthy, message });
  });
});
