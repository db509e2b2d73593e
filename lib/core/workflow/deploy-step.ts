import * as z from 'zod';
import { RolloutProperties } from './rollout.ts';

/** The `deploy` step's properties (KubeVela's workflowstep/deploy.cue). */
export const DeployStepProperties = z.strictObject({
  /** Policy names, applied in this order: overrides patch the components, topologies give the placements. */
  policies: z.array(z.string().min(1)).default([]),
  /** How many placements may be applied at once. */
  parallelism: z.number().int().min(1).default(5),
  /** false asks for a manual approval first: v1.3 inserts a `manual-approve-<step>` suspend step before this one. */
  auto: z.boolean().default(true),
  /** Flotilla extension: deploy the step's clusters in waves gated on health (docs/rollout.md). */
  rollout: RolloutProperties.optional(),
});
export type DeployStepProperties = z.infer<typeof DeployStepProperties>;
