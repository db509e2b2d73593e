import { describe, expect, it } from 'vitest';
import { annotations } from '../../../../lib/core/definitions/traits/annotations.ts';
import { labels } from '../../../../lib/core/definitions/traits/labels.ts';
import { scaler } from '../../../../lib/core/definitions/traits/scaler.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import type { KubernetesObject } from '../../../../lib/core/object/kubernetes-object.ts';
import { applyMergePatch } from '../../../../lib/core/render/json-merge-patch.ts';
import { thrown } from '../../support/builders.ts';

const podTemplate = { metadata: { labels: { 'app.oam.dev/component': 'web' } }, spec: {} };
const deployment: KubernetesObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { keep: 'me', drop: 'me' } },
  spec: { template: podTemplate },
};
const cronJob: KubernetesObject = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly' },
  spec: { jobTemplate: { spec: { template: { spec: {} } } } },
};
const configMap: KubernetesObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } };
const context = (workload: KubernetesObject) => ({ appName: 'shop', componentName: 'web', workload });

describe('scaler', () => {
  it.each([
    [{ replicas: 3 }, 3],
    [{ replicas: 0 }, 0],
    [{}, 1],
  ])('patches spec.replicas from %j to %d', (properties, replicas) => {
    const patched = applyMergePatch(deployment, scaler.render(properties, context(deployment)).patch);
    expect(patched).toMatchObject({ spec: { replicas, template: podTemplate } });
  });

  it.each([[{ replicas: 1.5 }], [{ replicas: -1 }], [{ replicas: '3' }]])('refuses %j', (properties) => {
    expect(thrown(() => scaler.render(properties, context(deployment)))).toBeInstanceOf(ValidationError);
  });

  it('renders no object and is always healthy', () => {
    expect(scaler.render({ replicas: 2 }, context(deployment)).outputs).toEqual([]);
    expect(scaler.health({ appName: 'shop', output: deployment, outputs: {} })).toEqual({ healthy: true, message: '' });
  });
});

describe('labels', () => {
  it('adds labels to the workload and its pod template, and null removes one', () => {
    const patched = applyMergePatch(deployment, labels.render({ tier: 'front', drop: null }, context(deployment)).patch);
    expect(patched).toMatchObject({
      metadata: { labels: { keep: 'me', tier: 'front' } },
      spec: { template: { metadata: { labels: { 'app.oam.dev/component': 'web', tier: 'front' } } } },
    });
    expect((patched as KubernetesObject).metadata.labels).not.toHaveProperty('drop');
  });

  it('touches only metadata on a workload without pod template', () => {
    expect(labels.render({ tier: 'front' }, context(configMap)).patch).toEqual({ metadata: { labels: { tier: 'front' } } });
  });

  it('refuses a value that is not a string', () => {
    expect((thrown(() => labels.render({ tier: 1 }, context(deployment))) as ValidationError).details).toEqual([{ path: 'properties.tier', message: 'expected a string' }]);
  });
});

describe('annotations', () => {
  it('adds annotations to the workload and its pod template', () => {
    expect(annotations.render({ note: 'hi' }, context(deployment)).patch).toEqual({
      metadata: { annotations: { note: 'hi' } },
      spec: { template: { metadata: { annotations: { note: 'hi' } } } },
    });
  });

  it('reaches the job template and its pod template of a CronJob', () => {
    expect(annotations.render({ note: 'hi' }, context(cronJob)).patch).toEqual({
      metadata: { annotations: { note: 'hi' } },
      spec: { jobTemplate: { metadata: { annotations: { note: 'hi' } }, spec: { template: { metadata: { annotations: { note: 'hi' } } } } } },
    });
  });
});
