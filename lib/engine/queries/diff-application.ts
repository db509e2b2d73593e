import { applicationFromObject } from '../../core/admission/parse-application.ts';
import type { Application } from '../../core/application/application.ts';
import type { ClusterInfo } from '../../core/policy/cluster-info.ts';
import { diffRevisions, type ClusterDiff, type PlacedObjects } from '../../core/query/revision-diff.ts';
import { planWorkflow } from '../../core/workflow/plan-workflow.ts';
import type { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import { placementClusters } from '../clusters/placement-clusters.ts';
import type { Store } from '../ports/store.ts';
import { redactSecretValues } from '../../core/secret/secret-values.ts';

export interface ApplicationDiff {
  /** The revision compared against (`<app>-v<N>`); undefined when the application is new. */
  current: string | undefined;
  clusters: ClusterDiff[];
  /** What the submitted document renders, per (cluster, namespace): what a live diff dry-runs. */
  placements: { cluster: string; namespace: string; resources: KubernetesObject[] }[];
}

/**
 * `flotilla diff`: the planner's rendering of the submitted document next to its rendering of the current revision,
 * both against the registry as it is now and with the current revision's label, so only what the document changes
 * shows. A new application diffs against nothing (every object added).
 */
export async function diffApplication(store: Store, submitted: Application): Promise<ApplicationDiff> {
  // Stored revisions hold Secret values as `<redacted>`: the submitted document is redacted alike, so a diff never
  // echoes a Secret value and shows no change for one (values are not compared).
  const application = applicationFromObject(redactSecretValues(submitted));
  const { namespace, name } = application.metadata;
  const { clusters } = placementClusters(await store.clusters.list());
  const record = await store.applications.get(namespace, name);
  const current = record === undefined ? undefined : `${name}-v${record.currentRevision}`;
  const revisionLabel = current ?? `${name}-v1`;
  let before: PlacedObjects[] = [];
  if (record !== undefined) {
    const revision = await store.applications.getRevision(namespace, name, record.currentRevision);
    if (revision !== undefined) before = placements(applicationFromObject(revision.document), clusters, revisionLabel);
  }
  const afterPlacements = placements(application, clusters, revisionLabel);
  return { current, clusters: diffRevisions(before, afterPlacements), placements: afterPlacements };
}

function placements(application: Application, clusters: readonly ClusterInfo[], revision: string) {
  return planWorkflow(application, clusters, { revision }).steps.flatMap((step) =>
    step.placements.map((placement) => ({ cluster: placement.cluster, namespace: placement.namespace, resources: placement.resources })),
  );
}
