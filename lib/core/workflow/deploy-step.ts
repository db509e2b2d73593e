import * as z from 'zod';
import { MAX_PARALLELISM } from '../application/limits.ts';
import { RolloutProperties } from './rollout.ts';

/** The `deploy` step's properties (KubeVela's workflowstep/deploy.cue). */
export const DeployStepProperties = z.strictObject({
  /** Policy names, applied in this order: overrides patch the components, topologies give the placements. */
  policies: z.array(z.string().min(1)).default([]),
  /**
   * How many clusters may be applying at once (each until it is healthy or failed). Unset: all of them; KubeVela's
   * default 5 is not taken over (docs/rollout.md, "parallelism of a plain deploy step").
   */
  parallelism: z
    .int({ error: `expected a whole number of clusters from 1 to ${MAX_PARALLELISM}` })
    .min(1, { error: `expected a whole number of clusters from 1 to ${MAX_PARALLELISM}` })
    .max(MAX_PARALLELISM, { error: `expected a whole number of clusters from 1 to ${MAX_PARALLELISM} (MAX_PARALLELISM)` })
    .optional(),
  /** false asks for a manual approval first: v1.3 inserts a `manual-approve-<step>` suspend step before this one. */
  auto: z.boolean().default(true),
  /** Flotilla extension: deploy the step's clusters in waves gated on health (docs/rollout.md). */
  rollout: RolloutProperties.optional(),
});
export type DeployStepProperties = z.infer<typeof DeployStepProperties>;
