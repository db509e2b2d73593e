import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretOpenError } from '../../../lib/engine/ports/credential-cipher.ts';
import { KeyFileCredentialCipher } from '../../../lib/adapters/secrets/key-file-cipher.ts';
import { KmsCredentialCipher } from '../../../lib/adapters/secrets/kms-cipher.ts';
import { motoKms } from './backends.ts';

const context = { purpose: 'cluster-credentials', cluster: '6f1c1f4e-0000-4000-8000-000000000002' };
const secret = Buffer.from('{"token":"eyJhbGciOiJSUzI1NiJ9.secret"}');

describe('KmsCredentialCipher against moto KMS', () => {
  const kms = motoKms();
  let keyArn: string;
  let cipher: KmsCredentialCipher;

  beforeAll(async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'flotilla cluster credentials (test)' }));
    keyArn = KeyMetadata!.Arn!;
    cipher = new KmsCredentialCipher(kms, KeyMetadata!.KeyId!);
  });
  afterAll(() => kms.destroy());

  it('seals with a KMS data key and opens it again', async () => {
    const sealed = await cipher.seal(secret, context);
    expect(sealed).toMatchObject({ algorithm: 'AES-256-GCM', keyProvider: 'aws-kms', keyId: keyArn });
    expect(JSON.stringify(sealed)).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    expect(await cipher.open(sealed, context)).toEqual(secret);
  });

  it('gets a fresh data key from KMS for every secret', async () => {
    const [a, b] = [await cipher.seal(secret, context), await cipher.seal(secret, context)];
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
  });

  it('refuses to open under another encryption context', async () => {
    const sealed = await cipher.seal(secret, context);
    await expect(cipher.open(sealed, { ...context, cluster: 'someone-else' })).rejects.toThrow(SecretOpenError);
  });

  it('refuses a payload moved under another secret s data key', async () => {
    const [a, b] = [await cipher.seal(secret, context), await cipher.seal(Buffer.from('other'), context)];
    await expect(cipher.open({ ...a, wrappedKey: b.wrappedKey }, context)).rejects.toThrow(/does not match its key/);
  });

  it('and the two ciphers do not open each other s secrets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-kms-'));
    try {
      const local = new KeyFileCredentialCipher(join(dir, 'master.key'));
      await expect(local.open(await cipher.seal(secret, context), context)).rejects.toThrow(/sealed by aws-kms/);
      await expect(cipher.open(await local.seal(secret, context), context)).rejects.toThrow(/sealed by key-file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
