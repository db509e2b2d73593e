import * as z from 'zod';
import { KubernetesObject } from '../object/kubernetes-object.ts';
import { SealedSecret } from '../secret/sealed-secret.ts';

/** The components a target's objects were rendered from (names, types, traits), without the objects. */
export const RenderedComponents = z.array(z.object({ name: z.string(), type: z.string(), traits: z.array(z.string()), dependsOn: z.array(z.string()) }));

/** Where the objects of one target are: in the message itself, or stored when they would overflow an SQS message. */
export const TargetPayload = z.discriminatedUnion('where', [
  z.object({
    where: z.literal('inline'),
    resources: z.array(KubernetesObject),
    components: RenderedComponents,
    /** The Secret values of `resources` (which show `<redacted>`), sealed for this target; absent without any. */
    secrets: SealedSecret.optional(),
  }),
  z.object({ where: z.literal('stored'), key: z.string().min(1) }),
]);
export type TargetPayload = z.infer<typeof TargetPayload>;

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
  /**
   * What the planner rendered for this target when its step started: the applier applies, checks and refreshes exactly
   * this, so nothing after the planner renders the Application again. Absent on targets recorded before it was kept.
   */
  payload: TargetPayload.optional(),
  /** The step creates the namespace (topology `namespace` with createNamespace). */
  createNamespace: z.boolean().optional(),
  attempts: z.int().nonnegative(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  version: z.int().positive(),
});
export type TargetRecord = z.infer<typeof TargetRecord>;

/**
 * A target as status shows it: the record without its rendered objects (the bulk of it: a 1,000-target run's records
 * are megabytes with them) and the components they were rendered from, which stay small.
 */
export const TargetView = TargetRecord.omit({ payload: true }).extend({ components: RenderedComponents.optional() });
export type TargetView = z.infer<typeof TargetView>;

export function viewOfTarget(record: TargetRecord): TargetView {
  const { payload, ...rest } = record;
  return payload?.where === 'inline' ? { ...rest, components: payload.components } : rest;
}

export interface TargetPlacement {
  cluster: string;
  namespace: string;
}

/** A placement as the planner registers it: where, and what it rendered for there. */
export interface PlannedTarget extends TargetPlacement {
  payload: TargetPayload;
  createNamespace: boolean;
  /** What the target waits for from the start (its cluster failed its latest probe), shown until the applier has news. */
  message?: string;
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

/** The placement a targetName names: cluster names are DNS labels, so the first `/` ends the cluster. */
export function placementOfTargetName(name: string): TargetPlacement {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) throw new TypeError(`not a target name (cluster/namespace): ${name}`);
  return { cluster: name.slice(0, slash), namespace: name.slice(slash + 1) };
}
