import type { ApplicationRecord } from '../../core/application/application-record.ts';
import type { RunRecord } from '../../core/run/run.ts';
import type { Store } from '../ports/store.ts';

/**
 * The application's live run: the one whose orders may apply, so its revision is what the clusters run (a rollback's
 * run of an older revision, a run of the newest revision after a submit). Undefined before any run went live.
 */
export async function loadLiveRun(store: Pick<Store, 'runs'>, namespace: string, name: string): Promise<RunRecord | undefined> {
  const live = await store.runs.liveRun(namespace, name);
  return live === undefined ? undefined : store.runs.get(live);
}

export interface RunningRevision {
  revision: number;
  revisionName: string;
  publishVersion: string | undefined;
}

/**
 * What `ls`, `revisions` and chatops call CURRENT: the live run's revision, what the clusters run; before any run
 * went live, the application's current revision (the one about to run).
 */
export async function runningRevision(store: Pick<Store, 'runs' | 'applications'>, application: ApplicationRecord): Promise<RunningRevision> {
  const live = await loadLiveRun(store, application.namespace, application.name);
  if (live === undefined || live.revision === application.currentRevision) {
    const revision = live?.revision ?? application.currentRevision;
    return { revision, revisionName: `${application.name}-v${revision}`, publishVersion: application.publishVersion };
  }
  const stored = await store.applications.getRevision(application.namespace, application.name, live.revision);
  return { revision: live.revision, revisionName: live.revisionName, publishVersion: stored?.publishVersion };
}
