import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileCredentialCipher } from '../../../../lib/adapters/secrets/key-file-cipher.ts';
import { SecretOpenError } from '../../../../lib/engine/ports/credential-cipher.ts';
import { openTargetResources, sealTargetResources } from '../../../../lib/engine/secrets/target-secrets.ts';
import type { KubernetesObject } from '../../../../lib/core/object/kubernetes-object.ts';

// The real key-file cipher on a temporary master key: sealing is what is under test, not a stand-in for it.
let dir: string;
let cipher: KeyFileCredentialCipher;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flotilla-target-secrets-'));
  cipher = new KeyFileCredentialCipher(join(dir, 'master.key'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const address = { runId: 'run-1', stepId: 'step-1', cluster: 'beijing-1', namespace: 'team-a' };
const resources: KubernetesObject[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team-a' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'team-a' }, data: { password: 'aHVudGVyMg==' }, stringData: { user: 'admin' } },
];

describe('target secrets', () => {
  it('seals the values for one target and shows <redacted> in what is recorded', async () => {
    const sealed = await sealTargetResources(cipher, address, resources);
    expect(sealed.secrets).toBeDefined();
    expect(sealed.resources[1]).toMatchObject({ data: { password: '<redacted>' }, stringData: { user: '<redacted>' } });
    const recorded = JSON.stringify(sealed);
    expect(recorded).not.toContain('aHVudGVyMg==');
    expect(recorded).not.toContain('admin');
    expect(await openTargetResources(cipher, address, sealed)).toEqual(resources);
  });

  it('opens only for the target it was sealed for', async () => {
    const sealed = await sealTargetResources(cipher, address, resources);
    await expect(openTargetResources(cipher, { ...address, cluster: 'beijing-2' }, sealed)).rejects.toBeInstanceOf(SecretOpenError);
  });

  it('seals nothing for objects without Secrets', async () => {
    const plain = resources.slice(0, 1);
    const sealed = await sealTargetResources(cipher, address, plain);
    expect(sealed).toEqual({ resources: plain });
    expect(await openTargetResources(cipher, address, sealed)).toBe(plain);
  });
});
