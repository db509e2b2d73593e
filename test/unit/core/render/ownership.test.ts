import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../../../../lib/core/object/kubernetes-object.ts';
import { applyOwnership, deleteRefusal, TakeOverAnnotation } from '../../../../lib/core/render/ownership.ts';

const teamA = { namespace: 'team-a', name: 'first-app' };

function deployment(labels?: Record<string, string>, annotations?: Record<string, string>): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hello-world-server', namespace: 'default', ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
  };
}
const ownedBy = (namespace: string, name: string) => deployment({ 'app.oam.dev/name': name, 'app.oam.dev/namespace': namespace });

describe('applyOwnership', () => {
  it('applies over nothing and over the application own object', () => {
    expect(applyOwnership(undefined, deployment(), teamA)).toEqual({ verdict: 'own' });
    expect(applyOwnership(ownedBy('team-a', 'first-app'), deployment(), teamA)).toEqual({ verdict: 'own' });
  });

  it('refuses another application object in KubeVela words, even one of the same name in another namespace', () => {
    expect(applyOwnership(ownedBy('team-b', 'other-app'), deployment(), teamA)).toEqual({
      verdict: 'refuse',
      message: 'existing object Deployment default/hello-world-server is managed by other application team-b/other-app',
    });
    expect(applyOwnership(ownedBy('team-b', 'first-app'), deployment(), teamA)).toMatchObject({ verdict: 'refuse' });
    expect(applyOwnership(deployment({ 'app.oam.dev/name': 'first-app' }), deployment(), teamA)).toMatchObject({ verdict: 'refuse' });
  });

  it('refuses an object no application manages unless the rendered object carries the take-over annotation', () => {
    const unlabelled = deployment({ app: 'hand-made' });
    expect(applyOwnership(unlabelled, deployment(), teamA)).toMatchObject({
      verdict: 'refuse',
      message: expect.stringContaining('existing object Deployment default/hello-world-server is not managed by any application'),
    });
    expect(applyOwnership(unlabelled, deployment(undefined, { [TakeOverAnnotation]: 'true' }), teamA)).toEqual({ verdict: 'adopt' });
    expect(applyOwnership(unlabelled, deployment(undefined, { [TakeOverAnnotation]: 'yes' }), teamA)).toMatchObject({ verdict: 'refuse' });
    // Take-over adopts only the unmanaged: it never takes another application's object.
    expect(applyOwnership(ownedBy('team-b', 'other-app'), deployment(undefined, { [TakeOverAnnotation]: 'true' }), teamA)).toMatchObject({
      verdict: 'refuse',
    });
  });
});

describe('deleteRefusal', () => {
  it('deletes only the application own objects', () => {
    expect(deleteRefusal(ownedBy('team-a', 'first-app'), teamA)).toBeUndefined();
    expect(deleteRefusal(ownedBy('team-b', 'other-app'), teamA)).toBe('Deployment default/hello-world-server is managed by other application team-b/other-app');
    expect(deleteRefusal(deployment(), teamA)).toBe('Deployment default/hello-world-server is not managed by any application');
  });
});
