import { applicationFromObject } from '../application/parse-application.ts';
import type { Application } from '../application/application.ts';
import type { RevisionRecord } from '../store/application-store.ts';
import type { RunRecord } from '../store/run-store.ts';
import type { Engine } from './engine.ts';

/** The Application a run executes: the revision it was started for, read back and validated again. */
export async function runApplication(engine: Engine, run: RunRecord): Promise<{ app: Application; revision: RevisionRecord }> {
  const revision = await engine.store.applications.getRevision(run.namespace, run.application, run.revision);
  if (!revision) throw new Error(`revision ${run.revisionName} of ${run.namespace}/${run.application} is gone`);
  return { app: applicationFromObject(revision.document), revision };
}
