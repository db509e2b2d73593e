import * as z from 'zod';
import { WavePhase } from '../run/rollout-state.ts';
import { StepPhase } from '../run/run.ts';
import { Usage } from '../cost/usage.ts';

/**
 * KubeVela's application phase words. `rendering` is an application with no workflow run yet; `workflowFailed` comes
 * from later KubeVela (v1.3 left a failed workflow in `runningWorkflow`, kubevela#6942).
 */
export const AppPhase = z.enum([
  'rendering',
  'runningWorkflow',
  'workflowSuspending',
  'workflowTerminated',
  'workflowFailed',
  'running',
  'unhealthy',
  'deleting',
]);
export type AppPhase = z.infer<typeof AppPhase>;

export const TraitStatus = z.object({
  type: z.string().min(1),
  healthy: z.boolean(),
  message: z.string(),
});
export type TraitStatus = z.infer<typeof TraitStatus>;

/** One component in one (cluster, namespace), as an entry of KubeVela's `status.services`. */
export const ServiceStatus = z.object({
  /** The component's name (KubeVela calls the field `name` too). */
  name: z.string().min(1),
  cluster: z.string().min(1),
  namespace: z.string().min(1),
  type: z.string().min(1),
  healthy: z.boolean(),
  message: z.string(),
  traits: z.array(TraitStatus),
  /** When health was last read from the cluster; absent when the target failed before it could be read. */
  checkedAt: z.iso.datetime().optional(),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const WaveStatus = z.object({
  wave: z.int().positive(),
  phase: WavePhase,
  clusters: z.array(
    z.object({
      name: z.string().min(1),
      /** held: its wave has not sent it yet; applying: sent, not yet healthy; healthy: read healthy after its apply. */
      state: z.enum(['held', 'applying', 'healthy', 'failed']),
    }),
  ),
});
export type WaveStatus = z.infer<typeof WaveStatus>;

export const WorkflowStepStatus = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.string().min(1),
  phase: StepPhase,
  /** Empty when there is nothing to say, as `vela status` prints `message:` with nothing after it. */
  message: z.string(),
  /** A deploy step with `rollout`: each wave's clusters as recorded when the step started, and where each stands. */
  waves: z.array(WaveStatus).optional(),
});
export type WorkflowStepStatus = z.infer<typeof WorkflowStepStatus>;

export const WorkflowStatus = z.object({
  /** The revision the run executes (`<app>-v<N>`), KubeVela's `appRevision`. */
  revision: z.string().min(1),
  mode: z.string().min(1),
  /**
   * Present when the run deploys to these clusters only, whatever its placements say: the rollback a rollout's failed
   * wave asks for (`onFailure: rollback`) re-runs the previous revision on the clusters that rollout changed. A
   * Flotilla addition; absent on a run over every placed cluster.
   */
  clusters: z.array(z.string().min(1)).optional(),
  finished: z.boolean(),
  suspend: z.boolean(),
  terminated: z.boolean(),
  message: z.string().optional(),
  /** Only the steps that have started. */
  steps: z.array(WorkflowStepStatus),
});
export type WorkflowStatus = z.infer<typeof WorkflowStatus>;

export const AboutStatus = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  createdAt: z.iso.datetime(),
  status: AppPhase,
});
export type AboutStatus = z.infer<typeof AboutStatus>;

/** The AWS requests a run caused; a Flotilla addition, KubeVela has nothing like it. */
export const RequestCounts = z.object({
  dynamodb: z.int().nonnegative(),
  sqs: z.int().nonnegative(),
});
export type RequestCounts = z.infer<typeof RequestCounts>;

const usd = z.number().nonnegative();

/** What some usage costs at the configured prices, in USD. */
export const CostFigures = z.object({ dynamodb: usd, sqs: usd, lambda: usd, total: usd });

/** Usage with its estimated price. */
export const PricedUsage = z.object({ usage: Usage, usd: CostFigures });
export type PricedUsage = z.infer<typeof PricedUsage>;

/**
 * What a run cost: the AWS requests by service, Lambda GB-seconds and an estimate in USD, for the whole run (planner
 * included) and for each target (its applier messages); a Flotilla addition. `prices` says which price list was used.
 */
export const CostStatus = z.object({
  run: PricedUsage,
  targets: z.array(PricedUsage.extend({ step: z.string().min(1), cluster: z.string().min(1), namespace: z.string().min(1) })),
  prices: z.object({ region: z.string(), asOf: z.string(), source: z.string() }),
});
export type CostStatus = z.infer<typeof CostStatus>;

/** Objects garbage collection or deletion could not remove yet, and why; a Flotilla addition. */
export const CleanupProblem = z.object({
  cluster: z.string().min(1),
  revision: z.int().positive(),
  message: z.string(),
});
export type CleanupProblem = z.infer<typeof CleanupProblem>;

/**
 * Which revision the clusters run, and the newest stored; a Flotilla addition (KubeVela shows `status.latestRevision`,
 * which after a rollback is the revision rolled back to). They differ after a rollback, or while a new revision's
 * workflow is about to start.
 */
export const RevisionsStatus = z.object({
  /** The live run's revision: the last one whose orders were applied. Absent until a workflow ran. */
  running: z.string().min(1).optional(),
  newest: z.string().min(1),
});
export type RevisionsStatus = z.infer<typeof RevisionsStatus>;

/** One run or step transition (lib/core/run/run-events.ts); a Flotilla addition. */
export const HistoryEntry = z.object({
  event: z.string().min(1),
  at: z.iso.datetime(),
  step: z.string().min(1).optional(),
  message: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** How many transitions status shows: the newest of the run's. */
export const statusHistoryLength = 10;

/** The `vela status` model: what the API serves as JSON and the CLI and chatops render. */
export const ApplicationStatus = z.object({
  about: AboutStatus,
  /** Absent until the application has a workflow run. */
  workflow: WorkflowStatus.optional(),
  services: z.array(ServiceStatus),
  requests: RequestCounts.optional(),
  cost: CostStatus.optional(),
  cleanup: z.array(CleanupProblem).optional(),
  revisions: RevisionsStatus.optional(),
  /** The run's newest transitions, oldest first. */
  history: z.array(HistoryEntry).optional(),
});
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;
