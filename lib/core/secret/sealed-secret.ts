import * as z from 'zod';

/**
 * A secret at rest: the payload encrypted with its own AES-256-GCM data key, and that data key wrapped by a key the
 * store never holds (a KMS key, or the local master key file). Safe to persist and to log.
 */
export const SealedSecret = z.object({
  algorithm: z.literal('AES-256-GCM'),
  keyProvider: z.enum(['aws-kms', 'key-file']),
  /** The KMS key ARN, or the key file's fingerprint: which key can unwrap `wrappedKey`. */
  keyId: z.string().min(1),
  wrappedKey: z.base64().min(1),
  iv: z.base64().min(1),
  ciphertext: z.base64(),
  authTag: z.base64().min(1),
});
export type SealedSecret = z.infer<typeof SealedSecret>;

/** Key/value pairs bound to a sealed secret: opening it with any other context fails. Not secret themselves. */
export type EncryptionContext = Record<string, string>;
