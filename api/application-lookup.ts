import type { ApplicationRecord } from '../lib/core/application/application-record.ts';
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
