import type { Store } from '../ports/store.ts';
import { loadLiveRun } from './running-revision.ts';
import type { ApplicationStatus } from '../../core/status/application-status.ts';
import { buildStatus } from '../../core/status/build-status.ts';

/** The `vela status` view of one application from the store: its record, its newest run and that run's targets. */
export async function loadStatus(store: Store, namespace: string, name: string): Promise<ApplicationStatus | undefined> {
  const application = await store.applications.get(namespace, name);
  if (!application) return undefined;
  const [[run], inventories] = await Promise.all([store.runs.listForApplication(namespace, name), store.inventories.listForApplication(namespace, name)]);
  const cleanup = inventories.flatMap((i) => (i.removalProblem ? [{ cluster: i.cluster, revision: i.revision, message: i.removalProblem }] : []));
  if (!run) return buildStatus({ application, targets: [], cleanup });
  const [targets, requests, live] = await Promise.all([store.targets.listForRun(run.runId), store.requestCounts.get(run.runId), loadLiveRun(store, namespace, name)]);
  return buildStatus({ application, run, live, targets, requests, cleanup });
}
