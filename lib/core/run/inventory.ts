import * as z from 'zod';

/** One object Flotilla applied, enough to find it again and to say whose it is. */
export const ResourceReference = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
  component: z.string().optional(),
});

export type ResourceReference = z.infer<typeof ResourceReference>;


/** What one revision of an application applied to one cluster: the basis of garbage collection and of detach checks. */
export const InventoryRecord = z.object({
  namespace: z.string().min(1),
  application: z.string().min(1),
  revision: z.int().positive(),
  cluster: z.string().min(1),
  resources: z.array(ResourceReference),
  recordedAt: z.iso.datetime(),
  /** Why removing these objects keeps failing (an unreachable cluster); shown in status until it succeeds. */
  removalProblem: z.string().optional(),
  version: z.int().positive(),
});

export type InventoryRecord = z.infer<typeof InventoryRecord>;


/** Resources left behind in a cluster that was detached by force: nobody will delete them. */
export const OrphanRecord = z.object({
  cluster: z.string().min(1),
  detachedAt: z.iso.datetime(),
  inventories: z.array(InventoryRecord.omit({ version: true })),
  version: z.int().positive(),
});

export type OrphanRecord = z.infer<typeof OrphanRecord>;
