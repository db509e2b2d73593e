import { applicationFromObject } from '../../core/admission/parse-application.ts';
import type { Application } from '../../core/application/application.ts';
import type { RevisionRecord, SubmitScope } from '../../core/application/application-record.ts';
import type { RunRecord } from '../../core/run/run.ts';
import type { Engine } from '../context.ts';
import { openRevisionDocument } from '../secrets/application-secrets.ts';

/**
 * The one way the planner turns a stored revision into an Application: checked against today's definitions, once per
 * planner message (advanceRun carries the result through its passes, start-step renders from it).
 */
export function applicationOf(revision: RevisionRecord): Application {
  return applicationFromObject(revision.document);
}

/**
 * What a run executes: its revision's Application and the scope the revision was submitted under (see SubmitScope).
 * `app` shows its Secret values as `<redacted>`, which is all that planning needs; rendering opens them
 * (`renderableApplication`).
 */
export interface RunApplication {
  app: Application;
  scope: SubmitScope | undefined;
  revision: RevisionRecord;
}

export function runApplicationOf(revision: RevisionRecord): RunApplication {
  return { app: applicationOf(revision), scope: revision.scope, revision };
}

/** The Application with its Secret values in place, for rendering a step's objects (which are sealed again per target). */
export async function renderableApplication(engine: Engine, loaded: RunApplication): Promise<Application> {
  if (loaded.revision.secrets === undefined) return loaded.app;
  return applicationFromObject(await openRevisionDocument(engine.cipher, loaded.revision));
}

/** The Application a run executes, or undefined once its revision was purged (the application was deleted). */
export async function loadRunApplication(engine: Engine, run: RunRecord): Promise<RunApplication | undefined> {
  const revision = await engine.store.applications.getRevision(run.namespace, run.application, run.revision);
  return revision ? runApplicationOf(revision) : undefined;
}
