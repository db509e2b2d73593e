import * as z from 'zod';

/** A workflow operation the planner will carry out: the run it acts on (suspend, resume, terminate) or starts (restart, rollback). */
export const WorkflowOperationAccepted = z.object({
  runId: z.string(),
  revision: z.string().meta({ description: 'The revision of that run, `<name>-v<N>`.' }),
  status: z.url().meta({ description: 'Where to follow it.' }),
});
