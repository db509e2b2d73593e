import * as z from 'zod';
import { SealedSecret } from '../secret/sealed-secret.ts';

export const ApplicationRecord = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  /**
   * N of the revision `<name>-v<N>` the clusters are to run: the newest submitted, or the one a rollback went back to.
   * Submits are compared with it, and restarts, triggers and cluster-change re-runs start from it.
   */
  currentRevision: z.int().positive(),
  /** N of the newest stored revision, where the next one is numbered from; absent on records stored before rollback kept it apart (then currentRevision). */
  latestRevision: z.int().positive().optional(),
  /** The current revision's identity (see identifyApplication). */
  specHash: z.string(),
  publishVersion: z.string().optional(),
  /** Set by a delete request; the workflow engine removes the objects, then the records. */
  deleting: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});

export type ApplicationRecord = z.infer<typeof ApplicationRecord>;

/** N of the newest stored revision (a rollback points `currentRevision` below it). */
export function latestRevisionOf(record: Pick<ApplicationRecord, 'currentRevision' | 'latestRevision'>): number {
  return Math.max(record.latestRevision ?? 0, record.currentRevision);
}


/**
 * The member clusters a token may place on: those named, and those whose labels carry every entry of the selector;
 * with both, a cluster either names or matches is allowed. Absent on a token: every cluster.
 */
export const TokenClusterScope = z.strictObject({
  names: z.array(z.string()).optional(),
  selector: z.record(z.string(), z.string()).optional(),
});
export type TokenClusterScope = z.infer<typeof TokenClusterScope>;

/**
 * The namespaces and clusters a revision was submitted under (the submitting token's; no namespaces and no clusters:
 * no limit). Kept with the revision so that every later run of it (a rollback, a restart, a trigger's derived
 * revision, a re-run after a cluster change) is confined exactly as the submit was.
 */
export const SubmitScope = z.strictObject({
  tokenId: z.string().optional(),
  namespaces: z.array(z.string()),
  clusters: TokenClusterScope.optional(),
});
export type SubmitScope = z.infer<typeof SubmitScope>;

export const RevisionRecord = z.object({
  namespace: z.string().min(1),
  /** The application's name; the revision's own name is `revisionName`. */
  application: z.string().min(1),
  revision: z.int().positive(),
  revisionName: z.string().min(1),
  specHash: z.string(),
  publishVersion: z.string().optional(),
  /** The submitted Application document, as JSON, each Secret value replaced by `<redacted>` (lib/core/secret). */
  document: z.unknown(),
  /** The Secret values taken out of `document` (and the key of their digest in `specHash`), sealed; absent without any. */
  secrets: SealedSecret.optional(),
  /** Absent on revisions stored before confinement, which were submitted without one: they stay unlimited. */
  scope: SubmitScope.optional(),
  createdAt: z.iso.datetime(),
  /** Revisions are never rewritten; the field keeps them in the same versioned-record mould as everything else. */
  version: z.int().positive(),
});

export type RevisionRecord = z.infer<typeof RevisionRecord>;
