import * as z from 'zod';

export const TraitHealthDetail = z.object({
  type: z.string().min(1),
  healthy: z.boolean(),
  message: z.string(),
});
export type TraitHealthDetail = z.infer<typeof TraitHealthDetail>;

/** One component's health in one (cluster, namespace): `{ component, type, ...componentHealth(...) }`. */
export const ServiceHealthDetail = z.object({
  component: z.string().min(1),
  type: z.string().min(1),
  healthy: z.boolean(),
  /** The component's own message (`Ready:3/3`); trait messages stay with their traits. */
  message: z.string(),
  traits: z.array(TraitHealthDetail),
});
export type ServiceHealthDetail = z.infer<typeof ServiceHealthDetail>;

/**
 * What the applier stores in `TargetRecord.detail`: the health of every component it placed in the target, as read
 * from the cluster at `checkedAt`. Re-checks replace it, so status shows the last check rather than the first deploy's.
 */
export const TargetHealthDetail = z.object({
  services: z.array(ServiceHealthDetail),
  checkedAt: z.iso.datetime(),
});
export type TargetHealthDetail = z.infer<typeof TargetHealthDetail>;
