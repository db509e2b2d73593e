import * as z from 'zod';
import { GoDuration } from './go-duration.ts';

/** The `suspend` step's properties: it waits for a resume, or until `duration` has passed when one is given. */
export const SuspendStepProperties = z.strictObject({
  duration: GoDuration.optional(),
  message: z.string().optional(),
});
export type SuspendStepProperties = z.infer<typeof SuspendStepProperties>;
