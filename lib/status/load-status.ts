import type { Store } from '../store/store.ts';
import type { ApplicationStatus } from './application-status.ts';
import { buildStatus } from './build-status.ts';

/** The `vela status` view of one application from the store: its record, its newest run and that run's targets. */
export async function loadStatus(store: Store, namespace: string, name: string): Promise<ApplicationStatus | undefined> {
  const application = await store.applications.get(namespace, name);
  if (!application) return undefined;
  const [run] = await store.runs.listForApplication(namespace, name);
  if (!run) return buildStatus({ application, targets: [] });
  const [targets, requests] = await Promise.all([store.targets.listForRun(run.runId), store.requestCounts.get(run.runId)]);
  return buildStatus({ application, run, targets, requests });
}
