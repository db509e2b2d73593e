import { applicationFromObject } from '../../core/admission/parse-application.ts';
import type { Application } from '../../core/application/application.ts';
import type { RevisionRecord } from '../../core/application/application-record.ts';
import type { RunRecord } from '../../core/run/run.ts';
import type { Engine } from '../context.ts';

/**
 * The one way the planner turns a stored revision into an Application: checked against today's definitions, once per
 * planner message (advanceRun carries the result through its passes, start-step renders from it).
 */
export function applicationOf(revision: RevisionRecord): Application {
  return applicationFromObject(revision.document);
}

/** The Application a run executes, or undefined once its revision was purged (the application was deleted). */
export async function loadRunApplication(engine: Engine, run: RunRecord): Promise<Application | undefined> {
  const revision = await engine.store.applications.getRevision(run.namespace, run.application, run.revision);
  return revision ? applicationOf(revision) : undefined;
}
