import type { ApplicationRecord, RevisionRecord } from '../lib/core/application/application-record.ts';
import { parseRevisionName } from '../lib/core/application/revision-name.ts';
import type { ApplicationStore } from '../lib/engine/ports/store.ts';
import { ApiError } from './api-error.ts';

export function applicationNotFound(namespace: string, name: string): ApiError {
  return new ApiError('application_not_found', `no application ${name} in namespace ${namespace}`);
}

/** The application's record, or 404. */
export async function requireApplication(applications: ApplicationStore, namespace: string, name: string): Promise<ApplicationRecord> {
  const record = await applications.get(namespace, name);
  if (record === undefined) throw applicationNotFound(namespace, name);
  return record;
}

/** The application and one of its stored revisions, or 404 naming which is missing. */
export async function requireRevision(
  applications: ApplicationStore,
  path: { namespace: string; name: string; revision: string },
): Promise<{ record: ApplicationRecord; revision: RevisionRecord }> {
  const record = await requireApplication(applications, path.namespace, path.name);
  const ref = parseRevisionName(path.revision);
  const revision = ref && (await applications.getRevision(path.namespace, path.name, ref.revision));
  if (!revision) throw new ApiError('revision_not_found', `application ${path.namespace}/${path.name} has no revision ${path.revision} (flotilla revisions ${path.name} -n ${path.namespace} lists them)`);
  return { record, revision };
}
