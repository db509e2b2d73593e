import { createHash } from 'node:crypto';
import type { Application } from './application.ts';

export const publishVersionAnnotation = 'app.oam.dev/publishVersion';

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
