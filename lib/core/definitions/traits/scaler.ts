import * as z from 'zod';
import { defineTrait } from '../trait-definition.ts';

/** KubeVela's `scaler`: sets the workload's `spec.replicas`. It has no health rule, so it is always healthy. */
export const scaler = defineTrait({
  type: 'scaler',
  description: 'Sets the number of replicas of the workload.',
  properties: z.strictObject({ replicas: z.number().int().min(0).default(1) }),
  render: (properties) => ({ patch: { spec: { replicas: properties.replicas } } }),
});
