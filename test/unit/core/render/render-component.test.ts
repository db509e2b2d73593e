import { describe, expect, it } from 'vitest';
import type { ApplicationMetadata } from '../../../../lib/core/application/application.ts';
import type { ApplicationComponent } from '../../../../lib/core/application/component.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { resourceOwner } from '../../../../lib/core/render/oam-labels.ts';
import { renderComponent } from '../../../../lib/core/render/render-component.ts';
import { thrown } from '../../support/builders.ts';

const app: ApplicationMetadata = { name: 'example-app', namespace: 'default' };
const hello: ApplicationComponent = {
  name: 'hello-world-server',
  type: 'webservice',
  properties: { image: 'crccheck/hello-world', port: 8000, ports: [{ port: 8000, expose: true }] },
  traits: [
    { type: 'scaler', properties: { replicas: 3 } },
    { type: 'gateway', properties: { domain: 'testsvc-mc.example.com', http: { '/api': 8000 } } },
  ],
};
const render = (component: ApplicationComponent, metadata: ApplicationMetadata = app, namespace?: string) => renderComponent(component, { app: metadata, revision: 'example-app-v2', namespace });

describe('renderComponent', () => {
  it('lists the workload, then its own outputs, then trait outputs, each with the OAM labels', () => {
    const rendered = render({ ...hello, name: 'api' });
    expect(rendered.resources.map((object) => [object.kind, object.metadata.labels])).toEqual([
      ['Deployment', { 'app.oam.dev/name': 'example-app', 'app.oam.dev/namespace': 'default', 'app.oam.dev/component': 'api', 'app.oam.dev/appRevision': 'example-app-v2', 'app.oam.dev/resourceType': 'WORKLOAD', 'workload.oam.dev/type': 'webservice' }],
      ['Service', { 'app.oam.dev/name': 'example-app', 'app.oam.dev/namespace': 'default', 'app.oam.dev/component': 'api', 'app.oam.dev/appRevision': 'example-app-v2', 'app.oam.dev/resourceType': 'TRAIT', 'trait.oam.dev/type': 'AuxiliaryWorkload', 'trait.oam.dev/resource': 'webserviceExpose' }],
      ['Service', { 'app.oam.dev/name': 'example-app', 'app.oam.dev/namespace': 'default', 'app.oam.dev/component': 'api', 'app.oam.dev/appRevision': 'example-app-v2', 'app.oam.dev/resourceType': 'TRAIT', 'trait.oam.dev/type': 'gateway', 'trait.oam.dev/resource': 'service' }],
      ['Ingress', { 'app.oam.dev/name': 'example-app', 'app.oam.dev/namespace': 'default', 'app.oam.dev/component': 'api', 'app.oam.dev/appRevision': 'example-app-v2', 'app.oam.dev/resourceType': 'TRAIT', 'trait.oam.dev/type': 'gateway', 'trait.oam.dev/resource': 'ingress' }],
    ]);
    expect(rendered).toMatchObject({ name: 'api', type: 'webservice', traits: ['scaler', 'gateway'], dependsOn: [] });
  });

  it('applies trait patches to the workload in trait order', () => {
    const rendered = render({ name: 'web', type: 'webservice', properties: { image: 'x' }, traits: [{ type: 'scaler', properties: { replicas: 3 } }, { type: 'labels', properties: { tier: 'front' } }] });
    expect(rendered.resources[0]?.spec).toMatchObject({ replicas: 3, template: { metadata: { labels: { tier: 'front' } } } });
    expect(rendered.resources[0]?.metadata.labels).toMatchObject({ tier: 'front', 'app.oam.dev/resourceType': 'WORKLOAD' });
  });

  it('keeps the OAM labels even when a trait tries to change them', () => {
    const rendered = render({ name: 'web', type: 'webservice', properties: { image: 'x' }, traits: [{ type: 'labels', properties: { 'app.oam.dev/component': 'other' } }] });
    expect(rendered.resources[0]?.metadata.labels?.['app.oam.dev/component']).toBe('web');
  });

  it('copies the Application labels and annotations, except the keys the filter annotations list', () => {
    const metadata: ApplicationMetadata = {
      ...app,
      labels: { team: 'shop', secret: 'x' },
      annotations: {
        'app.oam.dev/publishVersion': 'v7',
        'filter.oam.dev/label-keys': 'secret',
        'filter.oam.dev/annotation-keys': 'internal, other',
        internal: 'x',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      },
    };
    const [deployment] = render({ name: 'web', type: 'webservice', properties: { image: 'x' } }, metadata).resources;
    expect(deployment?.metadata.labels).toMatchObject({ team: 'shop' });
    expect(deployment?.metadata.labels).not.toHaveProperty('secret');
    expect(deployment?.metadata.annotations).toEqual({
      'app.oam.dev/publishVersion': 'v7',
      'filter.oam.dev/label-keys': 'secret',
      'filter.oam.dev/annotation-keys': 'internal, other',
    });
  });

  it.each<[string, string | undefined, string | undefined, string | undefined]>([
    ['the app namespace by default', undefined, undefined, 'default'],
    ['the topology namespace', 'prod', undefined, 'prod'],
    ['the object’s own namespace without topology namespace', undefined, 'tools', 'tools'],
    ['the topology namespace over the object’s own', 'prod', 'tools', 'prod'],
  ])('puts namespaced objects in %s', (_name, topologyNamespace, ownNamespace, expected) => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(ownNamespace === undefined ? {} : { namespace: ownNamespace }) } };
    const rendered = render({ name: 'base', type: 'k8s-objects', properties: { objects: [object] } }, app, topologyNamespace);
    expect(rendered.resources[0]?.metadata.namespace).toBe(expected);
  });

  it('clears the namespace of cluster-scoped objects such as a Namespace', () => {
    const objects = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', namespace: 'x' } }, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } }];
    const rendered = render({ name: 'base', type: 'k8s-objects', properties: { objects } }, app, 'prod');
    expect(rendered.resources.map((object) => object.metadata.namespace)).toEqual([undefined, undefined]);
    expect(rendered.resources.map((object) => Object.keys(object.metadata))).toEqual([['name', 'labels'], ['name', 'labels']]);
  });

  it('places trait property errors under the trait', () => {
    const error = thrown(() => render({ name: 'web', type: 'webservice', properties: { image: 'x' }, traits: [{ type: 'labels' }, { type: 'scaler', properties: { replicas: 'many' } }] }));
    expect((error as ValidationError).details).toEqual([{ path: 'traits[1].properties.replicas', message: 'expected a number' }]);
  });

  it('names an unknown type where it is written', () => {
    expect((thrown(() => render({ name: 'web', type: 'helm' })) as ValidationError).details[0]?.path).toBe('type');
    expect((thrown(() => render({ name: 'web', type: 'webservice', properties: { image: 'x' }, traits: [{ type: 'hpa' }] })) as ValidationError).details[0]?.path).toBe('traits[0].type');
  });
});

describe('resourceOwner', () => {
  it('reads back which component, trait and output an object belongs to', () => {
    const [deployment, expose, service] = render(hello).resources;
    expect(deployment && resourceOwner(deployment)).toEqual({ appName: 'example-app', appNamespace: 'default', component: 'hello-world-server', appRevision: 'example-app-v2', resourceType: 'WORKLOAD', workloadType: 'webservice' });
    expect(expose && resourceOwner(expose)).toMatchObject({ resourceType: 'TRAIT', traitType: 'AuxiliaryWorkload', traitResource: 'webserviceExpose' });
    expect(service && resourceOwner(service)).toMatchObject({ resourceType: 'TRAIT', traitType: 'gateway', traitResource: 'service' });
  });

  it.each([
    [{}],
    [{ 'app.oam.dev/name': 'a', 'app.oam.dev/namespace': 'b', 'app.oam.dev/component': 'c', 'app.oam.dev/appRevision': 'a-v1' }],
    [{ 'app.oam.dev/name': 'a', 'app.oam.dev/namespace': 'b', 'app.oam.dev/component': 'c', 'app.oam.dev/appRevision': 'a-v1', 'app.oam.dev/resourceType': 'TRAIT' }],
  ])('gives nothing for an object without a complete set of OAM labels: %j', (labels) => {
    expect(resourceOwner({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels } })).toBeUndefined();
  });
});
