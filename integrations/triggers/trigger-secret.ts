import type { CredentialCipher } from '../../lib/engine/ports/credential-cipher.ts';
import type { SealedSecret } from '../../lib/core/secret/sealed-secret.ts';

/**
 * Bound to the trigger's id: a sealed secret copied onto another trigger's record cannot be opened there. On AWS the
 * KMS key policy grants the API function GenerateDataKey and Decrypt under this purpose.
 */
export const triggerSecretPurpose = 'flotilla/trigger-secret';

function context(triggerId: string): Record<string, string> {
  return { purpose: triggerSecretPurpose, triggerId };
}

export function sealTriggerSecret(cipher: CredentialCipher, triggerId: string, secret: string): Promise<SealedSecret> {
  return cipher.seal(Buffer.from(secret, 'utf8'), context(triggerId));
}

/** The secret's bytes; callers verify with them and zero them (`fill(0)`) when done. */
export function openTriggerSecret(cipher: CredentialCipher, triggerId: string, sealed: SealedSecret): Promise<Buffer> {
  return cipher.open(sealed, context(triggerId));
}
