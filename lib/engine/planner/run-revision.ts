import { applicationFromObject } from '../../core/admission/parse-application.ts';
import type { Application } from '../../core/application/application.ts';
import type { RevisionRecord } from '../../core/application/application-record.ts';
import type { RunRecord } from '../../core/run/run.ts';
import type { Engine } from '../context.ts';

/** The Application a run executes: the revision it was started for, read back and validated again. */
export async function runApplication(engine: Engine, run: RunRecord): Promise<{ app: Application; revision: RevisionRecord }> {
  const revision = await engine.store.applications.getRevision(run.namespace, run.application, run.revision);
  if (!revision) throw new Error(`revision ${run.revisionName} of ${run.namespace}/${run.application} is gone`);
  return { app: applicationFromObject(revision.document), revision };
}
