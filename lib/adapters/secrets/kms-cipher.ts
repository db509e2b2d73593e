import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { openPayload, sealPayload } from './aes-gcm.ts';
import { SecretOpenError, type CredentialCipher } from '../../engine/ports/credential-cipher.ts';
import type { EncryptionContext, SealedSecret } from '../../core/secret/sealed-secret.ts';

/**
 * Envelope encryption with AWS KMS: every seal asks KMS for a fresh AES-256 data key (GenerateDataKey), encrypts
 * locally and keeps only the KMS-wrapped copy of the key. The encryption context is passed to KMS too, so KMS itself
 * refuses to unwrap the key for another record (and CloudTrail shows which record was opened).
 */
export class KmsCredentialCipher implements CredentialCipher {
  readonly #kms: KMSClient;
  readonly #keyId: string;

  /** `keyId`: a key id, ARN or alias of a symmetric KMS key. */
  constructor(kms: KMSClient, keyId: string) {
    this.#kms = kms;
    this.#keyId = keyId;
  }

  async seal(plaintext: Buffer, context: EncryptionContext): Promise<SealedSecret> {
    const generated = await this.#kms.send(
      new GenerateDataKeyCommand({ KeyId: this.#keyId, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    if (!generated.Plaintext || !generated.CiphertextBlob || !generated.KeyId) {
      throw new Error('KMS GenerateDataKey answered without a data key');
    }
    const dataKey = Buffer.from(generated.Plaintext);
    try {
      return {
        ...sealPayload(dataKey, plaintext, context),
        keyProvider: 'aws-kms',
        keyId: generated.KeyId,
        wrappedKey: Buffer.from(generated.CiphertextBlob).toString('base64'),
      };
    } finally {
      dataKey.fill(0);
      generated.Plaintext.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: EncryptionContext): Promise<Buffer> {
    if (sealed.keyProvider !== 'aws-kms') throw new SecretOpenError(`it was sealed by ${sealed.keyProvider}, not by AWS KMS`);
    let dataKey: Buffer;
    try {
      const decrypted = await this.#kms.send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(sealed.wrappedKey, 'base64'),
          KeyId: sealed.keyId,
          EncryptionContext: context,
        }),
      );
      if (!decrypted.Plaintext) throw new Error('KMS Decrypt answered without plaintext');
      dataKey = Buffer.from(decrypted.Plaintext);
      decrypted.Plaintext.fill(0);
    } catch (err) {
      throw new SecretOpenError(`KMS refused to unwrap the data key (${err instanceof Error ? err.name : 'error'})`, { cause: err });
    }
    return openPayload(dataKey, sealed, context);
  }
}
