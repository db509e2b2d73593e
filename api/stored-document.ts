import type { RevisionRecord } from '../lib/core/application/application-record.ts';
import { redactSecretValues } from '../lib/core/secret/secret-values.ts';

/**
 * The one way the API hands out a stored Application document (GET an application, GET a revision): whatever must not
 * leave the store in the clear is cut here, once, for every route that shows a document. Stored documents hold Secret
 * values as `<redacted>` already; redacting again covers revisions stored before values were sealed.
 */
export function storedDocument(revision: RevisionRecord): unknown {
  return redactSecretValues(revision.document);
}
