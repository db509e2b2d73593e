import type { Application } from '../application/application.ts';
import { parseApplication } from '../admission/parse-application.ts';
import { parseDocument } from '../application/parse-document.ts';
import { parseWith } from '../errors/zod-issues.ts';
import type { KubernetesObject } from '../object/kubernetes-object.ts';
import { ClusterList, type ClusterInfo } from '../policy/cluster-info.ts';
import { TopologyProperties } from '../policy/topology.ts';
import { planWorkflow } from '../workflow/plan-workflow.ts';
import type { WorkflowPlan } from '../workflow/workflow-plan.ts';

/** What one deploy step would apply in one place. */
export interface DryRunEntry {
  step: string;
  cluster: string;
  namespace: string;
  resources: KubernetesObject[];
}

export interface DryRunInput {
  /** The Application, as YAML or JSON text. */
  application: string;
  /** The cluster registry as a YAML or JSON list of `{name, labels}`; see dryRun for what happens without it. */
  clusters?: string | undefined;
  /** The revision written into the appRevision label; `<app>-v1` by default. */
  revision?: string | undefined;
}

export interface DryRunResult {
  plan: WorkflowPlan;
  /** Every (step, cluster, namespace) with its objects, in workflow order; suspend steps have none. */
  entries: DryRunEntry[];
  clusters: ClusterInfo[];
  /** True when no registry was given and the clusters were taken from the topologies' `clusters` lists. */
  clustersAssumed: boolean;
}

/**
 * Plans an Application offline and lists what each step would apply where. Without a cluster registry, every cluster
 * a topology names in `clusters` is assumed to exist, with no labels (so label selectors match nothing).
 * Throws ValidationError for bad input and PlacementError when the registry cannot satisfy a topology.
 */
export function dryRun(input: DryRunInput): DryRunResult {
  const app = parseApplication(input.application);
  const clustersAssumed = input.clusters === undefined;
  const clusters = input.clusters === undefined ? namedClusters(app) : parseClusterList(input.clusters);
  const plan = planWorkflow(app, clusters, { revision: input.revision ?? `${app.metadata.name}-v1` });
  const entries = plan.steps.flatMap((step) =>
    step.placements.map((placement) => ({ step: step.name, cluster: placement.cluster, namespace: placement.namespace, resources: placement.resources })),
  );
  return { plan, entries, clusters, clustersAssumed };
}

/** Reads a cluster registry file: a YAML or JSON list of `{name, labels}`. */
export function parseClusterList(text: string): ClusterInfo[] {
  return parseWith(ClusterList, parseDocument(text), '');
}

function namedClusters(app: Application): ClusterInfo[] {
  const names = new Set<string>();
  for (const policy of app.spec.policies ?? []) {
    if (policy.type !== 'topology') continue;
    for (const name of TopologyProperties.parse(policy.properties ?? {}).clusters ?? []) names.add(name);
  }
  return [...names].map((name) => ({ name, labels: {} }));
}
