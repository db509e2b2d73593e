import * as z from 'zod';

export const ApplicationRecord = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  /** N of the newest revision `<name>-v<N>`. */
  currentRevision: z.int().positive(),
  specHash: z.string(),
  publishVersion: z.string().optional(),
  /** Set by a delete request; the workflow engine removes the objects, then the records. */
  deleting: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});

export type ApplicationRecord = z.infer<typeof ApplicationRecord>;


export const RevisionRecord = z.object({
  namespace: z.string().min(1),
  /** The application's name; the revision's own name is `revisionName`. */
  application: z.string().min(1),
  revision: z.int().positive(),
  revisionName: z.string().min(1),
  specHash: z.string(),
  publishVersion: z.string().optional(),
  /** The submitted Application document, as JSON. */
  document: z.unknown(),
  createdAt: z.iso.datetime(),
  /** Revisions are never rewritten; the field keeps them in the same versioned-record mould as everything else. */
  version: z.int().positive(),
});

export type RevisionRecord = z.infer<typeof RevisionRecord>;
