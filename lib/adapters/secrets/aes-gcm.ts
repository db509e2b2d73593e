import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretOpenError } from '../../engine/ports/credential-cipher.ts';
import type { EncryptionContext } from '../../core/secret/sealed-secret.ts';

export const dataKeyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;

export interface GcmBox {
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

/** The context as additional authenticated data, independent of key order. */
export function contextAad(context: EncryptionContext): Buffer {
  const sorted = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]]);
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}

export function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer): GcmBox {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, authTag: cipher.getAuthTag() };
}

/** Throws when the key, the AAD or the data do not match what was encrypted. */
export function gcmDecrypt(key: Buffer, box: GcmBox, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, box.iv, { authTagLength: tagBytes });
  decipher.setAAD(aad);
  decipher.setAuthTag(box.authTag);
  return Buffer.concat([decipher.update(box.ciphertext), decipher.final()]);
}

/** One buffer `iv | ciphertext | tag`, for wrapping a data key under the local master key. */
export function packBox(box: GcmBox): Buffer {
  return Buffer.concat([box.iv, box.ciphertext, box.authTag]);
}

export function unpackBox(packed: Buffer): GcmBox {
  if (packed.length < ivBytes + tagBytes) throw new RangeError('packed box too short');
  return {
    iv: packed.subarray(0, ivBytes),
    ciphertext: packed.subarray(ivBytes, packed.length - tagBytes),
    authTag: packed.subarray(packed.length - tagBytes),
  };
}

/** Sealed secret fields for a payload encrypted under `dataKey`. */
export function sealPayload(dataKey: Buffer, plaintext: Buffer, context: EncryptionContext) {
  const box = gcmEncrypt(dataKey, plaintext, contextAad(context));
  return {
    algorithm: 'AES-256-GCM' as const,
    iv: box.iv.toString('base64'),
    ciphertext: box.ciphertext.toString('base64'),
    authTag: box.authTag.toString('base64'),
  };
}

/** Decrypts the payload with its unwrapped data key, then wipes the key whatever happened. */
export function openPayload(
  dataKey: Buffer,
  sealed: { iv: string; ciphertext: string; authTag: string },
  context: EncryptionContext,
): Buffer {
  const box = {
    iv: Buffer.from(sealed.iv, 'base64'),
    ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
    authTag: Buffer.from(sealed.authTag, 'base64'),
  };
  try {
    return gcmDecrypt(dataKey, box, contextAad(context));
  } catch (err) {
    throw new SecretOpenError('the payload does not match its key or encryption context', { cause: err });
  } finally {
    dataKey.fill(0);
  }
}
