import * as z from 'zod';

export const FieldChangeSchema = z.object({
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

export const ObjectDiffSchema = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
  component: z.string().optional(),
  change: z.enum(['added', 'changed', 'removed', 'unchanged']),
  fields: z.array(FieldChangeSchema).optional(),
  moreFields: z.int().positive().optional(),
});

export const ClusterDiffSchema = z.object({
  cluster: z.string().min(1),
  objects: z.array(ObjectDiffSchema),
});
