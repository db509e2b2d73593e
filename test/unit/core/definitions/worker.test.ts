import { describe, expect, it } from 'vitest';
import { worker } from '../../../../lib/core/definitions/components/worker.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import type { KubernetesObject } from '../../../../lib/core/object/kubernetes-object.ts';
import { thrown } from '../../support/builders.ts';

describe('worker', () => {
  it('renders a Deployment with no ports and no Service', () => {
    const { workload, outputs } = worker.render({ image: 'queue-reader', cmd: ['read'], memory: '256Mi' }, { appName: 'shop', componentName: 'reader' });
    expect(workload.kind).toBe('Deployment');
    expect(workload.spec).toMatchObject({
      selector: { matchLabels: { 'app.oam.dev/component': 'reader' } },
      template: { spec: { containers: [{ name: 'reader', image: 'queue-reader', command: ['read'], resources: { limits: { memory: '256Mi' }, requests: { memory: '256Mi' } } }] } },
    });
    expect(outputs).toEqual([]);
  });

  it('takes no port, having no network endpoint', () => {
    const error = thrown(() => worker.render({ image: 'x', port: 80 }, { appName: 'shop', componentName: 'reader' }));
    expect((error as ValidationError).details).toEqual([{ path: 'properties.port', message: 'unknown field' }]);
  });

  it('shares the Deployment health rule', () => {
    const output = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'reader' }, spec: { replicas: 2 }, status: { readyReplicas: 2, updatedReplicas: 2, replicas: 2 } } as KubernetesObject;
    expect(worker.health({ appName: 'shop', output, outputs: {} })).toEqual({ healthy: true, message: 'Ready:2/2' });
  });
});
