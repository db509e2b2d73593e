import * as z from 'zod';
import { RunPhase, StepPhase } from '../lib/core/run/run.ts';

/** The workflow run an operation changed. */
export const WorkflowRunView = z.object({
  runId: z.string(),
  revision: z.string().meta({ description: 'The revision the run executes, `<name>-v<N>`.' }),
  phase: RunPhase,
  message: z.string().optional(),
  steps: z.array(z.object({ name: z.string(), type: z.string(), phase: StepPhase, message: z.string().optional() })),
});

/** A run the planner will start (restart, rollback). */
export const WorkflowRunQueued = z.object({
  runId: z.string(),
  revision: z.string().meta({ description: 'The revision that will run, `<name>-v<N>`.' }),
  status: z.url().meta({ description: 'Where to follow it.' }),
});
