import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { contextAad, dataKeyBytes, gcmDecrypt, gcmEncrypt, openPayload, packBox, sealPayload, unpackBox } from './aes-gcm.ts';
import { SecretOpenError, type CredentialCipher } from '../../engine/ports/credential-cipher.ts';
import type { EncryptionContext, SealedSecret } from '../../core/secret/sealed-secret.ts';

/**
 * Envelope encryption for local mode: a 32-byte master key in a file (created on first use, mode 0600) wraps a fresh
 * AES-256-GCM data key per secret. The same shape as the KMS cipher, so stores and callers do not care which is used.
 */
export class KeyFileCredentialCipher implements CredentialCipher {
  readonly #path: string;
  #masterKey: Promise<MasterKey> | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** The key file's fingerprint (not the key), as recorded in `keyId` of everything it seals. */
  async fingerprint(): Promise<string> {
    return (await this.#load()).fingerprint;
  }

  async seal(plaintext: Buffer, context: EncryptionContext): Promise<SealedSecret> {
    const master = await this.#load();
    const dataKey = randomBytes(dataKeyBytes);
    try {
      const wrapped = packBox(gcmEncrypt(master.key, dataKey, contextAad(context)));
      return {
        ...sealPayload(dataKey, plaintext, context),
        keyProvider: 'key-file',
        keyId: master.fingerprint,
        wrappedKey: wrapped.toString('base64'),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: EncryptionContext): Promise<Buffer> {
    if (sealed.keyProvider !== 'key-file') throw new SecretOpenError(`it was sealed by ${sealed.keyProvider}, not by a key file`);
    const master = await this.#load();
    if (sealed.keyId !== master.fingerprint) {
      throw new SecretOpenError(`it was sealed with key ${sealed.keyId}, but ${this.#path} holds key ${master.fingerprint}`);
    }
    let dataKey: Buffer;
    try {
      dataKey = gcmDecrypt(master.key, unpackBox(Buffer.from(sealed.wrappedKey, 'base64')), contextAad(context));
    } catch (err) {
      throw new SecretOpenError('the data key does not match this key file or the encryption context', { cause: err });
    }
    return openPayload(dataKey, sealed, context);
  }

  #load(): Promise<MasterKey> {
    this.#masterKey ??= loadOrCreateMasterKey(this.#path).catch((err: unknown) => {
      this.#masterKey = undefined; // let a later call retry, e.g. after the permissions were fixed
      throw err;
    });
    return this.#masterKey;
  }
}

interface MasterKey {
  key: Buffer;
  fingerprint: string;
}

/**
 * Reads the master key, creating it when absent. Creation writes a private temporary file and hard-links it into
 * place, so two processes starting together agree on one key and nobody ever reads a half-written file.
 */
export async function loadOrCreateMasterKey(path: string): Promise<MasterKey> {
  const existing = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!existing) await createMasterKey(path);
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new Error(`${path} must be readable by its owner only (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`);
  }
  const key = await readFile(path);
  if (key.length !== dataKeyBytes) throw new Error(`${path} must hold exactly ${dataKeyBytes} bytes, it has ${key.length}`);
  return { key, fingerprint: `key-file:${createHash('sha256').update(key).digest('hex').slice(0, 16)}` };
}

async function createMasterKey(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, randomBytes(dataKeyBytes), { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process won; its key is the key
  } finally {
    await unlink(temporary);
  }
}
