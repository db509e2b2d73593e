import { createHash } from 'node:crypto';
import * as z from 'zod';
import { isDnsLabel } from './dns-name.ts';
import { parseWith } from '../errors/zod-issues.ts';

export const publishVersionAnnotation = 'app.oam.dev/publishVersion';

/**
 * The little the store must know of an Application: where it lives and what decides a new revision. Full validation is
 * the application model's job (lib/application); the store keeps the document as JSON.
 */
const ApplicationIdentity = z.looseObject({
  metadata: z.looseObject({
    // Both end up in keys (`APP#<namespace>#<name>`), so they must never hold the separator.
    name: z.string().refine(isDnsLabel, { error: 'must be a DNS-1123 label' }),
    namespace: z.string().refine(isDnsLabel, { error: 'must be a DNS-1123 label' }).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.unknown().optional(),
});

export interface ApplicationIdentity {
  name: string;
  namespace: string;
  /** The `app.oam.dev/publishVersion` annotation, when set. */
  publishVersion: string | undefined;
  /** SHA-256 over what the revision depends on: spec, labels and annotations other than publishVersion. */
  specHash: string;
}

export function identifyApplication(document: unknown): ApplicationIdentity {
  const { metadata, spec } = parseWith(ApplicationIdentity, document, '');
  const { [publishVersionAnnotation]: publishVersion, ...annotations } = metadata.annotations ?? {};
  const hashed = { labels: metadata.labels ?? {}, annotations, spec: spec ?? null };
  return {
    name: metadata.name,
    namespace: metadata.namespace ?? 'default',
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
