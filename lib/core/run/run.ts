import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { RolloutState } from './rollout-state.ts';

export const StepPhase = z.enum(['pending', 'running', 'suspending', 'succeeded', 'failed', 'skipped']);

export type StepPhase = z.infer<typeof StepPhase>;

export const RunPhase = z.enum(['running', 'suspended', 'succeeded', 'failed', 'terminated']);

export type RunPhase = z.infer<typeof RunPhase>;

export const StepState = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.string().min(1),
  phase: StepPhase,
  /**
   * The step's rules, derived from the workflow once when the run starts, so that moving the run on needs no second
   * look at the Application: the steps it waits for, its deadline (the default applied) and a suspend's duration.
   */
  dependsOn: z.array(z.string()).optional(),
  timeoutSeconds: z.number().positive().optional(),
  durationSeconds: z.number().nonnegative().optional(),
  /** A suspend step's `message`, shown while it waits. */
  suspendMessage: z.string().optional(),
  /** A deploy step with `rollout`: its waves, recorded when it starts (only the planner writes them). */
  rollout: RolloutState.optional(),
  /** The step's `if` (see StepCondition): when its turn comes, whether it runs or is skipped. */
  condition: z
    .discriminatedUnion('kind', [z.object({ kind: z.literal('always') }), z.object({ kind: z.literal('status'), step: z.string().min(1), outcome: z.enum(['failed', 'succeeded']) })])
    .optional(),
  message: z.string().optional(),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  /** A running step suspended (for approval, a paused rollout, `workflow suspend`) since then; cleared on resume. */
  suspendedAt: z.iso.datetime().optional(),
  /** Time the step spent suspended and then resumed: its deadline moves out by this much. */
  suspendedSeconds: z.number().nonnegative().optional(),
});

export type StepState = z.infer<typeof StepState>;

/** One execution of an application revision's workflow. Targets and step tallies live beside it (TargetStore). */
export const RunRecord = z.object({
  runId: z.string().min(1),
  namespace: z.string().min(1),
  application: z.string().min(1),
  revision: z.int().positive(),
  revisionName: z.string().min(1),
  mode: z.string().min(1),
  /**
   * The run deploys to these clusters only, whatever its placements say, and collects garbage only there: the
   * rollback a rollout's failed wave asks for (`onFailure: rollback`) is limited to the clusters that rollout changed.
   */
  clusters: z.array(z.string().min(1)).optional(),
  phase: RunPhase,
  message: z.string().optional(),
  steps: z.array(StepState),
  /** The newest transitions of this run (lib/core/run/run-events.ts), oldest first; absent on runs recorded before. */
  history: z
    .array(
      z.object({
        event: z.string().min(1),
        at: z.iso.datetime(),
        step: z.object({ name: z.string().min(1), type: z.string().min(1) }).optional(),
        message: z.string().optional(),
      }),
    )
    .optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});

export type RunRecord = z.infer<typeof RunRecord>;

/** Run ids sort by creation time (millisecond clock in base 36, then randomness), so listings come out in order. */
export function newRunId(now: Date = new Date()): string {
  return `${now.getTime().toString(36).padStart(10, '0')}${randomBytes(5).toString('hex')}`;
}
