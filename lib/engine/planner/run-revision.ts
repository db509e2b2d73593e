import { applicationFromObject } from '../../core/admission/parse-application.ts';
import type { Application } from '../../core/application/application.ts';
import type { RevisionRecord, SubmitScope } from '../../core/application/application-record.ts';
import type { RunRecord } from '../../core/run/run.ts';
import type { Engine } from '../context.ts';

/**
 * The one way the planner turns a stored revision into an Application: checked against today's definitions, once per
 * planner message (advanceRun carries the result through its passes, start-step renders from it).
 */
export function applicationOf(revision: RevisionRecord): Application {
  return applicationFromObject(revision.document);
}

/** What a run executes: its revision's Application and the scope the revision was submitted under (see SubmitScope). */
export interface RunApplication {
  app: Application;
  scope: SubmitScope | undefined;
}

export function runApplicationOf(revision: RevisionRecord): RunApplication {
  return { app: applicationOf(revision), scope: revision.scope };
}

/** The Application a run executes, or undefined once its revision was purged (the application was deleted). */
export async function loadRunApplication(engine: Engine, run: RunRecord): Promise<RunApplication | undefined> {
  const revision = await engine.store.applications.getRevision(run.namespace, run.application, run.revision);
  return revision ? runApplicationOf(revision) : undefined;
}
