import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretOpenError } from '../../../../lib/engine/ports/credential-cipher.ts';
import { KeyFileCredentialCipher } from '../../../../lib/adapters/secrets/key-file-cipher.ts';
import { SealedSecret } from '../../../../lib/core/secret/sealed-secret.ts';

const context = { purpose: 'cluster-credentials', cluster: '6f1c1f4e-0000-4000-8000-000000000001' };
const secret = Buffer.from('-----BEGIN PRIVATE KEY-----\nsecret material\n-----END PRIVATE KEY-----\n');

describe('KeyFileCredentialCipher', () => {
  let dir: string;
  let keyPath: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-keyfile-'));
    keyPath = join(dir, 'nested', 'master.key');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('creates a 32-byte master key with mode 0600 on first use and round-trips a secret', async () => {
    const cipher = new KeyFileCredentialCipher(keyPath);
    const sealed = await cipher.seal(secret, context);
    const info = await stat(keyPath);
    expect(info.mode & 0o777).toBe(0o600);
    expect((await readFile(keyPath)).length).toBe(32);
    expect(SealedSecret.parse(sealed)).toEqual(sealed);
    expect(sealed.keyProvider).toBe('key-file');
    expect(await cipher.open(sealed, context)).toEqual(secret);
  });

  it('never puts the plaintext or the data key in the clear into the sealed secret', async () => {
    const sealed = await new KeyFileCredentialCipher(keyPath).seal(secret, context);
    const text = JSON.stringify(sealed);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(secret.toString('base64'));
    expect(Buffer.from(sealed.ciphertext, 'base64')).not.toEqual(secret);
  });

  it('uses a fresh data key per secret', async () => {
    const cipher = new KeyFileCredentialCipher(keyPath);
    const [a, b] = [await cipher.seal(secret, context), await cipher.seal(secret, context)];
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('opens with a context given in another key order, and refuses any other context', async () => {
    const cipher = new KeyFileCredentialCipher(keyPath);
    const sealed = await cipher.seal(secret, context);
    expect(await cipher.open(sealed, { cluster: context.cluster, purpose: context.purpose })).toEqual(secret);
    await expect(cipher.open(sealed, { ...context, cluster: 'another' })).rejects.toThrow(SecretOpenError);
    await expect(cipher.open(sealed, { purpose: context.purpose })).rejects.toThrow(/encryption context/);
  });

  it('refuses tampered ciphertext', async () => {
    const cipher = new KeyFileCredentialCipher(keyPath);
    const sealed = await cipher.seal(secret, context);
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    await expect(cipher.open({ ...sealed, ciphertext: bytes.toString('base64') }, context)).rejects.toThrow(SecretOpenError);
  });

  it('reuses the key file across instances, and a different key file cannot open the secret', async () => {
    const sealed = await new KeyFileCredentialCipher(keyPath).seal(secret, context);
    expect(await new KeyFileCredentialCipher(keyPath).open(sealed, context)).toEqual(secret);
    const other = new KeyFileCredentialCipher(join(dir, 'other.key'));
    await expect(other.open(sealed, context)).rejects.toThrow(/sealed with key key-file:[0-9a-f]{16}, but .* holds key key-file:/);
  });

  it('agrees on one key when several instances create it at the same time', async () => {
    const ciphers = Array.from({ length: 8 }, () => new KeyFileCredentialCipher(keyPath));
    const fingerprints = await Promise.all(ciphers.map((c) => c.fingerprint()));
    expect(new Set(fingerprints).size).toBe(1);
  });

  it('refuses a master key file that others can read, and one of the wrong size', async () => {
    await new KeyFileCredentialCipher(keyPath).fingerprint();
    await chmod(keyPath, 0o644);
    await expect(new KeyFileCredentialCipher(keyPath).fingerprint()).rejects.toThrow(/readable by its owner only \(mode 644\); run chmod 600/);
    const short = join(dir, 'short.key');
    await writeFile(short, Buffer.alloc(16), { mode: 0o600 });
    await expect(new KeyFileCredentialCipher(short).fingerprint()).rejects.toThrow(/exactly 32 bytes, it has 16/);
  });

  it('refuses a secret sealed by KMS', async () => {
    const sealed = await new KeyFileCredentialCipher(keyPath).seal(secret, context);
    await expect(new KeyFileCredentialCipher(keyPath).open({ ...sealed, keyProvider: 'aws-kms' }, context)).rejects.toThrow(
      /sealed by aws-kms, not by a key file/,
    );
  });
});
