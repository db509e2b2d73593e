import type { Application } from '../lib/core/application/application.ts';
import { applicationFromObject } from '../lib/core/admission/parse-application.ts';
import { overrideOf, topologyOf } from '../lib/core/policy/check-policies.ts';
import { matchesSelector, type ClusterLabelSelector } from '../lib/core/policy/cluster-selector.ts';
import { runRequest } from '../lib/engine/messages/planner-message.ts';
import type { ApiDependencies } from './api-dependencies.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';

/** A cluster's labels before and after a join or label change; `before` is undefined for a cluster new to the registry. */
export interface ClusterLabelChange {
  cluster: string;
  before: Readonly<Record<string, string>> | undefined;
  after: Readonly<Record<string, string>>;
}

export interface Rerun {
  namespace: string;
  name: string;
  revision: string;
  runId: string;
}

/**
 * Label selectors are evaluated only while a workflow runs, so a cluster that joins or gains a label would be missed
 * until the next submit (kubevela#6765, fixed in v1.10.3 by bumping publishVersion on join). Here the current revision
 * of every application whose selectors match the cluster before or after the change runs again: a cluster that now
 * matches gets the application, one that no longer matches loses it through garbage collection.
 */
export async function rerunLabelSelectingApplications(deps: ApiDependencies, change: ClusterLabelChange): Promise<Rerun[]> {
  if (change.before !== undefined && sameLabels(change.before, change.after)) return [];
  const applications = (await deps.store.applications.listAll()).filter((application) => !application.deleting);
  const affected = await Promise.all(
    applications.map(async (application) => {
      const revision = await deps.store.applications.getRevision(application.namespace, application.name, application.currentRevision);
      if (revision === undefined) return undefined;
      const selectors = labelSelectorsOf(readStored(revision.document));
      const reached = selectors.some(
        (selector) => matchesSelector(change.after, selector) || (change.before !== undefined && matchesSelector(change.before, selector)),
      );
      return reached ? { namespace: application.namespace, name: application.name, revision: revision.revisionName, number: revision.revision } : undefined;
    }),
  );
  const reruns = affected
    .filter((entry) => entry !== undefined)
    .map((entry) => ({ entry, request: runRequest({ namespace: entry.namespace, name: entry.name, revision: entry.number, reason: 'cluster-change' }, deps.now()) }));
  if (reruns.length === 0) return [];
  await deps.queues.toPlanner(reruns.map(({ request }) => request));
  return reruns.map(({ entry, request }) => ({ namespace: entry.namespace, name: entry.name, revision: entry.revision, runId: request.runId }));
}

/** Stored revisions were checked when submitted; one that no longer reads (rules tightened since) selects nothing. */
function readStored(document: unknown): Application | undefined {
  try {
    return applicationFromObject(document);
  } catch {
    return undefined;
  }
}

/**
 * The selectors whose outcome depends on cluster labels: topologies that select by label (an explicit `clusters` list
 * wins over a selector, as in KubeVela) and override entries scoped by label.
 */
function labelSelectorsOf(application: Application | undefined): ClusterLabelSelector[] {
  const selectors: ClusterLabelSelector[] = [];
  (application?.spec.policies ?? []).forEach((policy, index) => {
    if (policy.type === 'topology') {
      const { clusters, clusterLabelSelector } = topologyOf(policy, index).properties;
      if (clusters === undefined && clusterLabelSelector !== undefined) selectors.push(clusterLabelSelector);
    } else if (policy.type === 'override') {
      for (const entry of overrideOf(policy, index).components) if (entry.clusterLabelSelector !== undefined) selectors.push(entry.clusterLabelSelector);
    }
  });
  return selectors;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

/**
 * The re-runs for a change that has already been made: a failure to queue them must not turn the change's answer into
 * an error (a retried join would then be refused as a duplicate), so it becomes a warning and a log line.
 */
export async function rerunsAfterClusterChange(deps: ApiDependencies, change: ClusterLabelChange): Promise<{ reruns: Rerun[]; warnings: string[] }> {
  try {
    return { reruns: await rerunLabelSelectingApplications(deps, change), warnings: [] };
  } catch (err) {
    deps.log('error', 'could not queue the re-runs a cluster change calls for', { cluster: change.cluster, error: errorMessage(err) });
    return {
      reruns: [],
      warnings: [`cluster ${change.cluster} was changed, but the applications selecting clusters by label could not be queued to run again; restart their workflows`],
    };
  }
}
