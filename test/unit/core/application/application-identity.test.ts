import { describe, expect, it } from 'vitest';
import { Application } from '../../../../lib/core/application/application.ts';
import { canonicalJson, compareWithCurrent, identifyApplication, triggeredPublishVersion } from '../../../../lib/core/application/application-identity.ts';

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

  it('compares a submit with the current revision: without publishVersion by spec hash, with it by the value alone', () => {
    expect(compareWithCurrent(undefined, { specHash: 'a' })).toBe('new');
    expect(compareWithCurrent({ specHash: 'a' }, { specHash: 'a' })).toBe('same-spec');
    expect(compareWithCurrent({ specHash: 'a' }, { specHash: 'b' })).toBe('new');
    // KubeVela: spec edits under the same publishVersion are not run; a new value runs even with nothing else changed.
    expect(compareWithCurrent({ specHash: 'a', publishVersion: '1' }, { specHash: 'b', publishVersion: '1' })).toBe('same-publish-version');
    expect(compareWithCurrent({ specHash: 'a', publishVersion: '1' }, { specHash: 'a', publishVersion: '1' })).toBe('same-publish-version');
    expect(compareWithCurrent({ specHash: 'a', publishVersion: '1' }, { specHash: 'a', publishVersion: '2' })).toBe('new');
    // Adding or dropping the annotation is a change of its own.
    expect(compareWithCurrent({ specHash: 'a' }, { specHash: 'a', publishVersion: '1' })).toBe('new');
    expect(compareWithCurrent({ specHash: 'a', publishVersion: '1' }, { specHash: 'a' })).toBe('new');
  });

  it("gives a trigger's revision a publishVersion of its own, replacing an earlier trigger's suffix", () => {
    expect(triggeredPublishVersion('1.4.0', 'api', 'ghcr.io/acme/api:1.4.1')).toBe('1.4.0+api=ghcr.io/acme/api:1.4.1');
    expect(triggeredPublishVersion('1.4.0+api=ghcr.io/acme/api:1.4.1', 'api', 'ghcr.io/acme/api:1.4.2')).toBe('1.4.0+api=ghcr.io/acme/api:1.4.2');
    expect(triggeredPublishVersion('1.4.0+api=ghcr.io/acme/api:1.4.1', 'web', 'nginx@sha256:abc')).toBe('1.4.0+web=nginx@sha256:abc');
    // A user's own `+` (semver build metadata) is kept: only `+<component>=<image>` is the trigger's.
    expect(triggeredPublishVersion('1.4.0+build.7', 'api', 'api:2')).toBe('1.4.0+build.7+api=api:2');
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
