import { describe, expect, it } from 'vitest';
import { k8sObjects } from '../../../../lib/core/definitions/components/k8s-objects.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { thrown } from '../../support/builders.ts';

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } };
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } };

describe('k8s-objects', () => {
  it('makes the first object the workload and names the others objects-<index>', () => {
    const properties = { objects: [namespace, configMap] };
    const { workload, outputs } = k8sObjects.render(properties, { appName: 'shop', componentName: 'base' });
    expect(workload).toEqual(namespace);
    expect(outputs).toEqual([{ name: 'objects-1', object: configMap }]);
    expect(workload).not.toBe(properties.objects[0]);
  });

  it.each([
    [{ objects: [] }, 'properties.objects', 'must list at least 1 item'],
    [{ objects: [{ apiVersion: 'v1', metadata: { name: 'x' } }] }, 'properties.objects[0].kind', 'is required'],
    [{ objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }] }, 'properties.objects[0].metadata.name', 'is required'],
  ])('refuses %j', (properties, path, message) => {
    const error = thrown(() => k8sObjects.render(properties, { appName: 'shop', componentName: 'base' }));
    expect((error as ValidationError).details).toEqual([{ path, message }]);
  });

  it('is always healthy, having no health rule', () => {
    expect(k8sObjects.health({ appName: 'shop', output: namespace, outputs: {} })).toEqual({ healthy: true, message: '' });
  });
});
