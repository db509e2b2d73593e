import * as z from 'zod';
import { newRunId } from '../../core/run/run.ts';

/**
 * What the planner queue carries. The planner owns a run's life, and it alone writes runs: it starts runs, starts steps
 * as their turn comes, applies workflow operations and closes runs; appliers and the API only ask (`advance`, `operate`).
 */
export const PlannerMessage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('run'),
    /** Chosen by the sender, so a redelivered request finds its run instead of starting a second one. */
    runId: z.string().min(1),
    namespace: z.string().min(1),
    name: z.string().min(1),
    revision: z.int().positive(),
    /** `revision`: `flotilla up -r NAME-vN` runs a stored revision again. */
    reason: z.enum(['submit', 'restart', 'rollback', 'cluster-change', 'revision']),
    /** Only these clusters: a rollout's `onFailure: rollback` re-runs the older revision where the rollout reached. */
    clusters: z.array(z.string().min(1)).optional(),
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
  z.object({
    /** `vela workflow suspend|resume|terminate`, checked by the API against the run it names. */
    kind: z.literal('operate'),
    operation: z.enum(['suspend', 'resume', 'terminate']),
    runId: z.string().min(1),
  }),
  z.object({
    /** Scheduled: start, advance and re-order whatever a lost message left waiting (planner/sweep.ts). `recover`: the
     * queues were lost as a whole (a local restart), so nothing is in flight. */
    kind: z.literal('sweep'),
    recover: z.boolean(),
  }),
  z.object({
    /** A notification or webhook step's post is done: delivered, or given up on (which never fails the run). */
    kind: z.literal('delivered'),
    runId: z.string().min(1),
    stepId: z.string().min(1),
    delivered: z.boolean(),
    message: z.string(),
  }),
  z.object({ kind: z.literal('collect'), namespace: z.string().min(1), name: z.string().min(1), runId: z.string().min(1) }),
]);
export type PlannerMessage = z.infer<typeof PlannerMessage>;

export type RunRequest = Extract<PlannerMessage, { kind: 'run' }>;

/** The one way a run is asked for: a fresh run id, sortable by time, chosen by the sender so redeliveries find it. */
export function runRequest(request: Omit<RunRequest, 'kind' | 'runId'>, now: Date): RunRequest {
  return { kind: 'run', runId: newRunId(now), ...request };
}
