import * as z from 'zod';
import { latestRevisionOf, type ApplicationRecord } from '../application/application-record.ts';
import type { RunRecord, StepState } from '../run/run.ts';
import { targetName, type TargetView } from '../run/target.ts';
import { appPhase } from './app-phase.ts';
import { statusHistoryLength } from './application-status.ts';
import type { ApplicationStatus, CleanupProblem, HistoryEntry, CostStatus, ServiceStatus, WaveStatus, WorkflowStatus, WorkflowStepStatus } from './application-status.ts';
import { dispatchedClusters, type RolloutState } from '../run/rollout-state.ts';
import type { RunUsage } from '../cost/usage.ts';
import type { Prices } from '../cost/prices.ts';
import { estimateCost } from '../cost/estimate-cost.ts';
import { TargetHealthDetail, type ServiceHealthDetail } from '../run/health-detail.ts';

export interface StatusInput {
  application: ApplicationRecord;
  /** The run to report (normally the newest); without one there is no workflow to show. */
  run?: RunRecord | undefined;
  /** The application's live run (the one whose orders apply), which names the running revision; else `run` does. */
  live?: RunRecord | undefined;
  /** The run's targets, in any order. */
  targets: readonly TargetView[];
  /** What the run's messages cost, and the prices to put on it. */
  usage?: { usage: RunUsage; prices: Prices } | undefined;
  /** Removals that keep failing (from the inventories' `removalProblem`). */
  cleanup?: CleanupProblem[] | undefined;
}

/**
 * Aggregates an application, its run and the run's targets into the `vela status` model. Services come from the
 * targets' health details, one per component x cluster x namespace, in step order then cluster order.
 */
export function buildStatus(input: StatusInput): ApplicationStatus {
  const { application, run } = input;
  const targets = inStepOrder(input.targets, run);
  const services = collectServices(targets);
  return {
    about: {
      name: application.name,
      namespace: application.namespace,
      createdAt: application.createdAt,
      status: appPhase({ deleting: application.deleting, run: run?.phase, services }),
    },
    ...(run === undefined ? {} : { workflow: workflowStatus(run, targets) }),
    services,
    ...(input.usage === undefined || run === undefined ? {} : usageStatus(input.usage.usage, input.usage.prices, run)),
    ...(input.cleanup?.length ? { cleanup: input.cleanup } : {}),
    revisions: revisionsStatus(application, input.live ?? run),
    ...(run?.history?.length ? { history: historyOf(run) } : {}),
  };
}

function revisionsStatus(application: ApplicationRecord, live: RunRecord | undefined) {
  const newest = `${application.name}-v${latestRevisionOf(application)}`;
  return live === undefined ? { newest } : { running: live.revisionName, newest };
}

function usageStatus(usage: RunUsage, prices: Prices, run: RunRecord): Pick<ApplicationStatus, 'requests' | 'cost'> {
  const { total } = usage;
  const stepName = new Map(run.steps.map((step) => [step.id, step.name]));
  const stepIndex = new Map(run.steps.map((step, index) => [step.id, index]));
  const rank = (stepId: string) => stepIndex.get(stepId) ?? run.steps.length;
  const targets = [...usage.targets]
    .sort((a, b) => rank(a.target.stepId) - rank(b.target.stepId) || compare(a.target.cluster, b.target.cluster) || compare(a.target.namespace, b.target.namespace))
    .map(({ target, usage: used }) => ({
      step: stepName.get(target.stepId) ?? target.stepId,
      cluster: target.cluster,
      namespace: target.namespace,
      usage: used,
      usd: estimateCost(used, prices),
    }));
  const cost: CostStatus = {
    run: { usage: total, usd: estimateCost(total, prices) },
    targets,
    prices: { region: prices.region, asOf: prices.asOf, source: prices.source },
  };
  // The event source mapping's requests are shared out between a batch's records, so counts can have fractions.
  return { requests: { dynamodb: Math.round(total.dynamodbRequests), sqs: Math.round(total.sqsRequests) }, cost };
}

interface ReadTarget {
  record: TargetView;
  health: TargetHealthDetail | undefined;
}

function inStepOrder(targets: readonly TargetView[], run: RunRecord | undefined): ReadTarget[] {
  const stepIndex = new Map((run?.steps ?? []).map((step, index) => [step.id, index]));
  // Steps the run does not list (or every step, without a run) keep the order they first appear in.
  for (const target of targets) if (!stepIndex.has(target.stepId)) stepIndex.set(target.stepId, stepIndex.size);
  const rank = (target: TargetView) => stepIndex.get(target.stepId) ?? 0;
  return [...targets]
    .sort((a, b) => rank(a) - rank(b) || compare(a.cluster, b.cluster) || compare(a.namespace, b.namespace))
    .map((record) => ({ record, health: readHealth(record) }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readHealth(target: TargetView): TargetHealthDetail | undefined {
  if (target.detail === undefined || target.detail === null) return undefined;
  const parsed = TargetHealthDetail.safeParse(target.detail);
  if (parsed.success) return parsed.data;
  throw new Error(`the health detail of target ${targetName(target)} in step ${target.stepId} is malformed: ${z.prettifyError(parsed.error)}`);
}

function collectServices(targets: readonly ReadTarget[]): ServiceStatus[] {
  // A step sends the same components to each of its targets, so a target that failed before reporting health takes
  // its component list from a sibling that did report.
  const componentsOfStep = new Map<string, ServiceHealthDetail[]>();
  for (const { record, health } of targets) {
    if (health !== undefined && !componentsOfStep.has(record.stepId)) componentsOfStep.set(record.stepId, health.services);
  }
  // Keyed by component x cluster x namespace: when two steps deploy the same one, the later step's report stands in
  // the first one's place.
  const services = new Map<string, ServiceStatus>();
  for (const { record, health } of targets) {
    for (const service of servicesOf(record, health, componentsOfStep.get(record.stepId) ?? [])) {
      services.set(`${service.name}\u0000${service.cluster}\u0000${service.namespace}`, service);
    }
  }
  return [...services.values()];
}

function servicesOf(target: TargetView, health: TargetHealthDetail | undefined, stepComponents: ServiceHealthDetail[]): ServiceStatus[] {
  const place = { cluster: target.cluster, namespace: target.namespace };
  if (health !== undefined) {
    return health.services.map((service) => ({
      name: service.component,
      ...place,
      type: service.type,
      healthy: service.healthy,
      message: service.message,
      traits: service.traits.map((trait) => ({ type: trait.type, healthy: trait.healthy, message: trait.message })),
      checkedAt: health.checkedAt,
    }));
  }
  // No health read yet. A failed target shows why on each service; an open one shows what it waits for once there is
  // news (`retrying: cluster x: connect ECONNREFUSED`, `order lost, sent again ...`), so a cluster that never answered
  // is not missing from the view. Components come from what the planner rendered for the target, else from a sibling.
  if (target.phase === 'succeeded' || (target.phase !== 'failed' && !target.message)) return [];
  const components = target.components?.map((c) => ({ component: c.name, type: c.type, traits: c.traits.map((type) => ({ type })) })) ?? stepComponents;
  return components.map((service) => ({
    name: service.component,
    ...place,
    type: service.type,
    healthy: false,
    message: target.message ?? 'failed',
    traits: service.traits.map((trait) => ({ type: trait.type, healthy: false, message: '' })),
  }));
}

function historyOf(run: RunRecord): HistoryEntry[] {
  return (run.history ?? []).slice(-statusHistoryLength).map((entry) => ({
    event: entry.event,
    at: entry.at,
    ...(entry.step ? { step: entry.step.name } : {}),
    ...(entry.message ? { message: entry.message } : {}),
  }));
}

function workflowStatus(run: RunRecord, targets: readonly ReadTarget[]): WorkflowStatus {
  return {
    revision: run.revisionName,
    mode: run.mode,
    ...(run.clusters === undefined ? {} : { clusters: run.clusters }),
    finished: run.phase === 'succeeded' || run.phase === 'failed' || run.phase === 'terminated',
    suspend: run.phase === 'suspended',
    terminated: run.phase === 'terminated',
    ...(run.message === undefined ? {} : { message: run.message }),
    steps: run.steps.filter((step) => step.phase !== 'pending').map((step) => stepStatus(step, targets)),
  };
}

function stepStatus(step: StepState, targets: readonly ReadTarget[]): WorkflowStepStatus {
  const waves = step.rollout ? waveStatus(step, step.rollout, targets) : undefined;
  return { id: step.id, name: step.name, type: step.type, phase: step.phase, message: stepMessage(step, targets), ...(waves ? { waves } : {}) };
}

function waveStatus(step: StepState, rollout: RolloutState, targets: readonly ReadTarget[]): WaveStatus[] {
  const outcomes = new Map<string, 'applying' | 'healthy' | 'failed'>();
  for (const { record } of targets) {
    if (record.stepId !== step.id) continue;
    const state = record.phase === 'failed' ? 'failed' : record.phase === 'succeeded' ? 'healthy' : 'applying';
    const was = outcomes.get(record.cluster);
    outcomes.set(record.cluster, was === 'failed' || state === 'failed' ? 'failed' : was === 'applying' || state === 'applying' ? 'applying' : 'healthy');
  }
  return rollout.waves.map((wave, index) => ({
    wave: index + 1,
    phase: wave.phase,
    clusters: wave.clusters.map((name) => ({ name, state: wave.dispatched.includes(name) ? (outcomes.get(name) ?? 'applying') : 'held' })),
  }));
}

/**
 * A failed step says why: its own message, then each failed target's (`namespaces "multi-cluster" not found`). A
 * running step without a message of its own says what its open targets wait for.
 */
function stepMessage(step: StepState, targets: readonly ReadTarget[]): string {
  const own = step.message ?? '';
  if (step.phase === 'running' && own === '') {
    // A rollout's held clusters are shown in its waves, not as news.
    const released = step.rollout ? dispatchedClusters(step.rollout) : undefined;
    return targets
      .filter(({ record }) => record.stepId === step.id && (record.phase === 'pending' || record.phase === 'applying') && record.message && (released?.has(record.cluster) ?? true))
      .map(({ record }) => failureMessage(record))
      .join('; ');
  }
  if (step.phase !== 'failed') return own;
  const failures = targets
    .filter(({ record }) => record.stepId === step.id && record.phase === 'failed')
    .map(({ record }) => failureMessage(record))
    .filter((message) => !own.includes(message));
  return [own, ...failures].filter((part) => part !== '').join('; ');
}

function failureMessage(target: TargetView): string {
  const message = target.message ?? 'failed';
  // The applier's messages name the cluster; any other gets the target's name in front, so none is anonymous.
  return message.includes(target.cluster) ? message : `${targetName(target)}: ${message}`;
}
