import { describe, expect, it } from 'vitest';
import { applyPhases, isEstablished } from '../../../../lib/core/object/apply-phases.ts';

const object = (apiVersion: string, kind: string, name: string) => ({ apiVersion, kind, metadata: { name } });

describe('applyPhases', () => {
  it('puts Namespaces first, CRDs second and everything else last, keeping the rendered order within a phase', () => {
    const widget = object('example.com/v1', 'Widget', 'w');
    const deployment = object('apps/v1', 'Deployment', 'd');
    const crd = object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com');
    const namespace = object('v1', 'Namespace', 'team');
    const service = object('v1', 'Service', 's');
    expect(applyPhases([widget, deployment, crd, namespace, service])).toEqual([[namespace], [crd], [widget, deployment, service]]);
  });

  it('leaves empty phases out', () => {
    const deployment = object('apps/v1', 'Deployment', 'd');
    expect(applyPhases([deployment])).toEqual([[deployment]]);
    expect(applyPhases([])).toEqual([]);
  });

  it('goes by group and kind: a Namespace kind of another group is an ordinary object', () => {
    const other = object('example.com/v1', 'Namespace', 'n');
    const core = object('v1', 'Namespace', 'n');
    expect(applyPhases([other, core])).toEqual([[core], [other]]);
  });
});

describe('isEstablished', () => {
  const crd = (conditions: unknown) => ({ ...object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'c'), status: { conditions } });

  it('is true only with an Established condition whose status is True', () => {
    expect(isEstablished(crd([{ type: 'NamesAccepted', status: 'True' }, { type: 'Established', status: 'True' }]))).toBe(true);
    expect(isEstablished(crd([{ type: 'Established', status: 'False' }]))).toBe(false);
    expect(isEstablished(crd([{ type: 'NamesAccepted', status: 'True' }]))).toBe(false);
    expect(isEstablished(crd(undefined))).toBe(false);
    expect(isEstablished(undefined)).toBe(false);
  });
});
