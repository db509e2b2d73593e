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
  /** A removal that met an unreachable cluster left its queue group; the next attempt is due then (backing off). */
  removalRetryAt: z.iso.datetime().optional(),
  removalAttempts: z.int().nonnegative().optional(),
  /** When a forced removal was first ordered: past a grace period the planner records the objects as orphans itself. */
  forcedRemovalAt: z.iso.datetime().optional(),
  version: z.int().positive(),
});

export type InventoryRecord = z.infer<typeof InventoryRecord>;


/**
 * Resources left behind in a cluster, by a forced detach or a forced delete the cluster could not carry out: nobody
 * will delete them. `GET .../applications/{name}/orphans` lists an application's.
 */
export const OrphanRecord = z.object({
  cluster: z.string().min(1),
  /** When they were left behind (the record's key; named for the first cause, a detach). */
  detachedAt: z.iso.datetime(),
  /** Why they could not be removed (absent for a forced detach). */
  reason: z.string().optional(),
  inventories: z.array(InventoryRecord.omit({ version: true })),
  version: z.int().positive(),
});

export type OrphanRecord = z.infer<typeof OrphanRecord>;
