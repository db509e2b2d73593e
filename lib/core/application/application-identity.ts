import { createHash } from 'node:crypto';
import { PUBLISH_VERSION_ANNOTATION, type Application } from './application.ts';

export const publishVersionAnnotation = PUBLISH_VERSION_ANNOTATION;

export interface ApplicationIdentity {
  name: string;
  namespace: string;
  /** The `app.oam.dev/publishVersion` annotation, when set. */
  publishVersion: string | undefined;
  /**
   * SHA-256 over what the revision depends on: spec, labels and annotations other than publishVersion, and for a
   * document whose Secret values were taken out (lib/core/secret), their keyed digest instead of the values.
   */
  specHash: string;
}

/**
 * What decides whether a submitted Application is a new revision. It reads the Application the admission checks
 * produced (lib/core/admission), so nothing is validated twice; the store keeps that Application as the revision.
 */
export function identifyApplication(application: Application, secretDigest?: string): ApplicationIdentity {
  const { metadata, spec } = application;
  const { [publishVersionAnnotation]: publishVersion, ...annotations } = metadata.annotations ?? {};
  // Documents without Secrets hash exactly as before, so their resubmits stay unchanged across upgrades.
  const hashed = { labels: metadata.labels ?? {}, annotations, spec: spec ?? null, ...(secretDigest === undefined ? {} : { secrets: secretDigest }) };
  return {
    name: metadata.name,
    namespace: metadata.namespace,
    publishVersion,
    specHash: createHash('sha256').update(canonicalJson(hashed)).digest('hex'),
  };
}

/** JSON with object keys sorted at every level, so equal documents hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) =>
    member !== null && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(Object.entries(member).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : member,
  );
}

/**
 * How a submitted Application compares with the current revision (the one the clusters are to run):
 * - `new`: it becomes a new revision and runs;
 * - `same-spec`: no publishVersion change and the same spec hash, nothing to do;
 * - `same-publish-version`: both carry the same `app.oam.dev/publishVersion`. KubeVela pins the workflow to the
 *   revision of that value, so spec edits under it are not run (kubevela.io version-control); they wait for a new value.
 * A new publishVersion value is a new revision even if nothing else changed; adding or removing the annotation is too.
 */
export type SubmitComparison = 'new' | 'same-spec' | 'same-publish-version';

interface Identified {
  specHash: string;
  publishVersion?: string | undefined;
}

export function compareWithCurrent(current: Identified | undefined, submitted: Identified): SubmitComparison {
  if (current === undefined || current.publishVersion !== submitted.publishVersion) return 'new';
  if (submitted.publishVersion !== undefined) return 'same-publish-version';
  return current.specHash === submitted.specHash ? 'same-spec' : 'new';
}

/** A trigger's own suffix on a publishVersion: `+<component>=<image>`; image references hold neither `+` nor `=`. */
const triggerSuffix = /\+[a-z0-9]([-a-z0-9]*[a-z0-9])?=[^+=]+$/;

/**
 * The publishVersion of a revision a trigger derives from one that has a publishVersion: the base value (without an
 * earlier trigger's suffix, so values do not grow) plus `+<component>=<image>`. Keeping the base value would pin the
 * derived revision to the old one and never run it; the suffix makes every image a new value and the same image the
 * same value, so a redelivered event stays unchanged.
 */
export function triggeredPublishVersion(base: string, component: string, image: string): string {
  return `${base.replace(triggerSuffix, '')}+${component}=${image}`;
}
