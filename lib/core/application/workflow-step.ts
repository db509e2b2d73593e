import * as z from 'zod';
import { Properties } from './component.ts';
import { dnsLabel } from './dns-name.ts';
import { limitMessages, MAX_STEPS } from './limits.ts';

/** A workflow step as written in the Application; lib/workflow checks `properties` against the schema of its `type`. */
export const WorkflowStep = z.strictObject({
  name: dnsLabel('step name'),
  type: z.string().min(1),
  properties: Properties.optional(),
  dependsOn: z.array(z.string()).optional(),
  timeout: z.string().optional(),
  /** When the step runs: `always`, `status.<step>.failed` or `status.<step>.succeeded` (lib/core/workflow/step-condition.ts). */
  if: z.string().optional(),
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

export const Workflow = z.strictObject({
  steps: z.array(WorkflowStep).max(MAX_STEPS, limitMessages.steps).optional(),
});
export type Workflow = z.infer<typeof Workflow>;
