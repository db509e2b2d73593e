import { createHmac, randomBytes } from 'node:crypto';
import { canonicalJson } from '../../core/application/application-identity.ts';
import type { Application } from '../../core/application/application.ts';
import type { RevisionRecord } from '../../core/application/application-record.ts';
import { ValidationError, formatPath } from '../../core/errors/validation-error.ts';
import type { EncryptionContext } from '../../core/secret/sealed-secret.ts';
import { extractSecretValues, redactedSecretPointers, redactedSecretValue, restoreSecretValues } from '../../core/secret/secret-values.ts';
import { SecretOpenError, type CredentialCipher } from '../ports/credential-cipher.ts';
import type { ApplicationStore, SubmitOptions, SubmitResult } from '../ports/store.ts';
import { openBundle, sealBundle, valuesOf } from './sealed-values.ts';

export interface SecretSubmitDependencies {
  applications: ApplicationStore;
  cipher: CredentialCipher;
}

const digestKeyBytes = 32;

/** The encryption context's purpose for revisions' Secret values (the IAM grants in infra/ name it). */
export const applicationSecretsPurpose = 'flotilla/application-secrets';

/** Bound to every revision's sealed values: they open only for that revision of that application. */
export function revisionSecretsContext(namespace: string, application: string, revision: number): EncryptionContext {
  return { purpose: applicationSecretsPurpose, namespace, application, revision: String(revision) };
}

/**
 * Submits an Application whose Secret values (`data`, `stringData`) are stored sealed: the revision keeps the
 * document with `<redacted>` in their place and the values sealed beside it, bound to the revision. The spec hash
 * covers an HMAC of the values under a random per-application key that is sealed with them (never a plain hash of
 * possibly guessable values), so an unchanged resubmit is still found unchanged and a changed value is a new revision.
 * Documents without Secrets are submitted exactly as before.
 */
export async function submitApplication(
  deps: SecretSubmitDependencies,
  application: Application,
  now: Date,
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  const { namespace, name } = application.metadata;
  refuseRedactedValues(application);
  const { redacted, values } = extractSecretValues(application);
  if (values.length === 0) return deps.applications.submit(application, now, options);
  const key = (await currentDigestKey(deps, namespace, name)) ?? randomBytes(digestKeyBytes);
  const digest = `hmac-sha256:${createHmac('sha256', key).update(canonicalJson(values)).digest('hex')}`;
  const bundle = { values, digestKey: key.toString('base64') };
  return deps.applications.submit(redacted, now, {
    ...options,
    secrets: { digest, seal: (revision) => sealBundle(deps.cipher, bundle, revisionSecretsContext(namespace, name, revision)) },
  });
}

/** The revision's document with its Secret values back in place: only for rendering and deriving, never for answers. */
export async function openRevisionDocument(cipher: CredentialCipher, revision: RevisionRecord): Promise<unknown> {
  if (revision.secrets === undefined) return revision.document;
  const bundle = await openBundle(cipher, revision.secrets, revisionSecretsContext(revision.namespace, revision.application, revision.revision));
  return restoreSecretValues(revision.document, valuesOf(bundle));
}

/**
 * The digest key of the current revision, so that the same values digest the same; undefined for a first submit or a
 * current revision without Secrets (a fresh key then: the document differs anyway).
 */
async function currentDigestKey(deps: SecretSubmitDependencies, namespace: string, name: string): Promise<Buffer | undefined> {
  const application = await deps.applications.get(namespace, name);
  if (application === undefined) return undefined;
  const current = await deps.applications.getRevision(namespace, name, application.currentRevision);
  if (current?.secrets === undefined) return undefined;
  let bundle;
  try {
    bundle = await openBundle(deps.cipher, current.secrets, revisionSecretsContext(namespace, name, current.revision));
  } catch (err) {
    // Sealed under a key this deployment no longer holds: the submit becomes a new revision under a fresh key.
    if (err instanceof SecretOpenError) return undefined;
    throw err;
  }
  return bundle.digestKey === undefined ? undefined : Buffer.from(bundle.digestKey, 'base64');
}

/** `<redacted>` is how answers show a stored value: submitting it back would store the marker as the Secret's value. */
function refuseRedactedValues(application: Application): void {
  const pointers = redactedSecretPointers(application);
  if (pointers.length === 0) return;
  throw new ValidationError(
    pointers.map((pointer) => ({
      path: pathOf(pointer),
      message: `"${redactedSecretValue}" is how Flotilla shows a stored Secret value, not a value: submit the value itself`,
    })),
  );
}

function pathOf(pointer: string): string {
  const segments = pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((token) => (/^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : token));
  return formatPath(segments);
}
