import * as z from 'zod';

/**
 * Every error code the API answers with, and its HTTP status. Codes are stable words a client can branch on; the
 * message is for people. docs/api.md lists the same table.
 */
export const errorStatuses = {
  /** The input is wrong; `details` lists every problem with its path. */
  validation_failed: 400,
  /** No bearer token, or one that is unknown or revoked. */
  unauthenticated: 401,
  /** The token's role or namespaces do not allow the request. */
  forbidden: 403,
  /** No such route. */
  not_found: 404,
  cluster_not_found: 404,
  application_not_found: 404,
  /** No such cluster query, or it expired (answers are kept 10 minutes). */
  query_not_found: 404,
  token_not_found: 404,
  trigger_not_found: 404,
  /** The application has no stored revision of that name. */
  revision_not_found: 404,
  /** The route exists, not with this method; the `allow` header lists the methods it has. */
  method_not_allowed: 405,
  /** A cluster of that name is already registered (join again with `overwrite` to rotate its credentials). */
  already_exists: 409,
  /** Someone changed the same record at the same time; read again and retry. */
  conflict: 409,
  /** The application is being deleted; submit it again once it is gone. */
  application_deleting: 409,
  /** Applications still have objects in the cluster. */
  cluster_in_use: 409,
  /** The workflow is not in a state the operation applies to. */
  workflow_operation_refused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** The request is well formed, but the member cluster refused it or could not be reached. */
  cluster_unreachable: 422,
  namespace_not_created: 422,
  /** A trigger's component is gone from its application, or the image it formed does not check out. */
  trigger_misconfigured: 422,
  internal: 500,
  /**
   * The work queues are down, missing or timed out (`Retry-After` says when to try again). At submit: the revision
   * was stored but its run could not be queued; the message says how to start it.
   */
  queue_unavailable: 503,
  /** The table (or the key service sealing credentials) is down, missing, throttling or timed out; retry after `Retry-After`. */
  store_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatuses;

export const ErrorDetail = z.object({
  path: z.string().meta({ description: 'Where the problem is: `spec.components[0].type`, `query.force`, `path.name`; empty for the whole input.' }),
  message: z.string(),
});

/** The one error shape of every 4xx and 5xx answer. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorStatuses) as [keyof typeof errorStatuses, ...(keyof typeof errorStatuses)[]]),
    message: z.string().meta({ description: 'For people; never a stack trace.' }),
    details: z.array(ErrorDetail).meta({ description: 'Every problem found, for validation failures; empty otherwise.' }),
  }),
});
