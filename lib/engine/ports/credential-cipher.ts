import type { EncryptionContext, SealedSecret } from '../../core/secret/sealed-secret.ts';

/**
 * Envelope encryption of credentials. `open` with a context other than the one given to `seal` fails, so a sealed
 * secret copied onto another record cannot be opened there.
 */
export interface CredentialCipher {
  seal(plaintext: Buffer, context: EncryptionContext): Promise<SealedSecret>;
  open(sealed: SealedSecret, context: EncryptionContext): Promise<Buffer>;
}

/** Opening failed: wrong key, wrong context or tampered data. Says nothing about the plaintext. */
export class SecretOpenError extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(`cannot open the sealed secret: ${reason}`, options);
    this.name = 'SecretOpenError';
  }
}
