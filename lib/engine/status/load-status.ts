import type { Store } from '../ports/store.ts';
import { loadLiveRun } from './running-revision.ts';
import type { ApplicationStatus } from '../../core/status/application-status.ts';
import { buildStatus } from '../../core/status/build-status.ts';
import { publishedPrices, type Prices } from '../../core/cost/prices.ts';

/**
 * The `vela status` view of one application from the store: its record, its newest run, that run's targets and usage.
 * A fixed handful of reads plus the run's targets in one paged Query: its cost grows with the pages, not the targets.
 */
export async function loadStatus(store: Store, namespace: string, name: string, prices: Prices = publishedPrices): Promise<ApplicationStatus | undefined> {
  const application = await store.applications.get(namespace, name);
  if (!application) return undefined;
  const [run, cleanup] = await Promise.all([store.runs.newestForApplication(namespace, name), store.inventories.removalProblems(namespace, name)]);
  if (!run) return buildStatus({ application, targets: [], cleanup });
  const [targets, usage, live] = await Promise.all([store.targets.listViewsForRun(run.runId), store.usage.get(run.runId), loadLiveRun(store, namespace, name)]);
  return buildStatus({ application, run, live, targets, usage: { usage, prices }, cleanup });
}
