import * as z from 'zod';

/**
 * What the planner queue carries. The planner owns a run's life: it starts runs, starts steps as their turn comes and
 * closes runs; appliers and the API only ask it to look again (`advance`).
 */
export const PlannerMessage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('run'),
    /** Chosen by the sender, so a redelivered request finds its run instead of starting a second one. */
    runId: z.string().min(1),
    namespace: z.string().min(1),
    name: z.string().min(1),
    revision: z.int().positive(),
    reason: z.enum(['submit', 'restart', 'rollback', 'cluster-change']),
  }),
  z.object({
    kind: z.literal('advance'),
    runId: z.string().min(1),
    /** A deadline check: sent delayed, and re-sent while the moment has not come (SQS delays stop at 15 minutes). */
    at: z.iso.datetime().optional(),
  }),
  z.object({
    kind: z.literal('delete'),
    namespace: z.string().min(1),
    name: z.string().min(1),
    /** Orphan what cannot be removed (an unreachable cluster) instead of retrying forever. */
    force: z.boolean(),
  }),
  z.object({ kind: z.literal('collect'), namespace: z.string().min(1), name: z.string().min(1), runId: z.string().min(1) }),
]);
export type PlannerMessage = z.infer<typeof PlannerMessage>;
