import type { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import type { EncryptionContext, SealedSecret } from '../../core/secret/sealed-secret.ts';
import { extractSecretValues, restoreSecretValues } from '../../core/secret/secret-values.ts';
import type { CredentialCipher } from '../ports/credential-cipher.ts';
import type { PayloadAddress } from '../ports/store.ts';
import { openBundle, sealBundle, valuesOf } from './sealed-values.ts';

/** The encryption context's purpose for targets' Secret values (the IAM grants in infra/ name it). */
export const targetSecretsPurpose = 'flotilla/target-secrets';

/** Bound to one target: its sealed values open only for that run, step, cluster and namespace. */
export function targetSecretsContext(address: PayloadAddress): EncryptionContext {
  return { purpose: targetSecretsPurpose, runId: address.runId, stepId: address.stepId, cluster: address.cluster, namespace: address.namespace };
}

export interface SealedResources {
  /** The objects with every Secret value replaced by `<redacted>`: what the target record, messages and status carry. */
  resources: KubernetesObject[];
  secrets?: SealedSecret;
}

/** Takes the Secret values out of a target's rendered objects and seals them for that target; one seal per target. */
export async function sealTargetResources(cipher: CredentialCipher, address: PayloadAddress, resources: KubernetesObject[]): Promise<SealedResources> {
  const { redacted, values } = extractSecretValues(resources);
  if (values.length === 0) return { resources };
  return { resources: redacted, secrets: await sealBundle(cipher, { values }, targetSecretsContext(address)) };
}

/** The objects to apply, with their Secret values back in place; opened just before applying, never stored. */
export async function openTargetResources(cipher: CredentialCipher, address: PayloadAddress, sealed: SealedResources): Promise<KubernetesObject[]> {
  if (sealed.secrets === undefined) return sealed.resources;
  const bundle = await openBundle(cipher, sealed.secrets, targetSecretsContext(address));
  return restoreSecretValues(sealed.resources, valuesOf(bundle));
}
