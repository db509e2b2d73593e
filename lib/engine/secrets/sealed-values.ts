import * as z from 'zod';
import type { EncryptionContext, SealedSecret } from '../../core/secret/sealed-secret.ts';
import type { SecretValue } from '../../core/secret/secret-values.ts';
import type { CredentialCipher } from '../ports/credential-cipher.ts';

/** What a sealed bundle holds: the values taken out of one document, and for revisions the key of their digest. */
export const SecretBundle = z.strictObject({
  values: z.array(z.strictObject({ pointer: z.string().startsWith('/'), value: z.unknown() })),
  digestKey: z.base64().optional(),
});
export type SecretBundle = z.infer<typeof SecretBundle>;

export function sealBundle(cipher: CredentialCipher, bundle: SecretBundle, context: EncryptionContext): Promise<SealedSecret> {
  return cipher.seal(Buffer.from(JSON.stringify(bundle), 'utf8'), context);
}

export async function openBundle(cipher: CredentialCipher, sealed: SealedSecret, context: EncryptionContext): Promise<SecretBundle> {
  const plaintext = await cipher.open(sealed, context);
  try {
    return SecretBundle.parse(JSON.parse(plaintext.toString('utf8')));
  } finally {
    plaintext.fill(0);
  }
}

/** The values as the planner and applier need them (zod's output type has `value` optional). */
export function valuesOf(bundle: SecretBundle): SecretValue[] {
  return bundle.values.map(({ pointer, value }) => ({ pointer, value }));
}
