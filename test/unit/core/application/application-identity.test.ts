import { describe, expect, it } from 'vitest';
import { Application } from '../../../../lib/core/application/application.ts';
import { canonicalJson, identifyApplication } from '../../../../lib/core/application/application-identity.ts';

describe('application identity', () => {
  const app = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
    Application.parse({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'web', ...metadata }, spec: { components: [{ name: 'a', type: 'webservice', properties: { image: 'x' } }], ...spec } });

  it('defaults the namespace and reads publishVersion', () => {
    expect(identifyApplication(app({}, { annotations: { 'app.oam.dev/publishVersion': 'v7' } }))).toMatchObject({ name: 'web', namespace: 'default', publishVersion: 'v7' });
  });

  it('hashes the same for reordered keys, differently for any spec, label or other annotation change', () => {
    const base = identifyApplication(app({ components: [{ name: 'a', type: 'webservice', properties: { image: 'x', port: 80 } }] })).specHash;
    expect(identifyApplication(app({ components: [{ properties: { port: 80, image: 'x' }, type: 'webservice', name: 'a' }] })).specHash).toBe(base);
    expect(identifyApplication(app({ components: [{ name: 'a', type: 'webservice', properties: { image: 'y', port: 80 } }] })).specHash).not.toBe(base);
    const spec = { components: [{ name: 'a', type: 'webservice', properties: { image: 'x', port: 80 } }] };
    expect(identifyApplication(app(spec, { labels: { team: 'a' } })).specHash).not.toBe(base);
    expect(identifyApplication(app(spec, { annotations: { owner: 'me' } })).specHash).not.toBe(base);
  });

  it('leaves publishVersion out of the hash (it is compared on its own)', () => {
    const spec = {};
    expect(identifyApplication(app(spec, { annotations: { 'app.oam.dev/publishVersion': '1' } })).specHash).toBe(identifyApplication(app(spec)).specHash);
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('application identity with Secret values taken out', () => {
  const app = () =>
    Application.parse({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'web' }, spec: { components: [{ name: 'a', type: 'webservice', properties: { image: 'x' } }] } });

  it('hashes as before without a digest, and the digest into the hash when there is one', () => {
    const plain = identifyApplication(app()).specHash;
    expect(identifyApplication(app(), undefined).specHash).toBe(plain);
    const one = identifyApplication(app(), 'hmac-sha256:aa').specHash;
    expect(one).not.toBe(plain);
    expect(identifyApplication(app(), 'hmac-sha256:aa').specHash).toBe(one);
    expect(identifyApplication(app(), 'hmac-sha256:bb').specHash).not.toBe(one);
  });
});
