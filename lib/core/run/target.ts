import * as z from 'zod';

export const TargetPhase = z.enum(['pending', 'applying', 'succeeded', 'failed']);

export type TargetPhase = z.infer<typeof TargetPhase>;


/** What one deploy step does in one (cluster, namespace). */
export const TargetRecord = z.object({
  runId: z.string().min(1),
  stepId: z.string().min(1),
  cluster: z.string().min(1),
  namespace: z.string().min(1),
  phase: TargetPhase,
  message: z.string().optional(),
  /** Whatever the applier reports (health per object, trait messages), as JSON. */
  detail: z.unknown().optional(),
  attempts: z.int().nonnegative(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  version: z.int().positive(),
});

export type TargetRecord = z.infer<typeof TargetRecord>;


export interface TargetPlacement {
  cluster: string;
  namespace: string;
}


/** The fan-in record of a step: how many targets it waits for and which have finished. */
export interface StepTally {
  runId: string;
  stepId: string;
  expected: number;
  finished: ReadonlySet<string>;
  failed: ReadonlySet<string>;
}


export interface TargetOutcome {
  phase: 'succeeded' | 'failed';
  message?: string;
  detail?: unknown;
}


export interface Completion {
  /** False for a duplicate: this target's completion had been recorded already, nothing changed. */
  recorded: boolean;
  tally: StepTally;
  /** True for exactly one call per step: the one that recorded its last target. */
  completedStep: boolean;
}


export function targetName(placement: TargetPlacement): string {
  return `${placement.cluster}/${placement.namespace}`;
}
