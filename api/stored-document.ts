import type { RevisionRecord } from '../lib/core/application/application-record.ts';

/**
 * The one way the API hands out a stored Application document (GET an application, GET a revision): whatever must not
 * leave the store in the clear, such as Secret values, is to be cut here, once, for every route that shows a document.
 */
export function storedDocument(revision: RevisionRecord): unknown {
  return revision.document;
}
