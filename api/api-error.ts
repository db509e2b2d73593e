import type { ValidationIssue } from '../lib/core/errors/validation-error.ts';
import { jsonResponse, type ApiResponse } from './api-response.ts';

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
  token_not_found: 404,
  trigger_not_found: 404,
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
  /** Stored, but the follow-up work could not be queued; the message says how to start it. */
  queue_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof errorStatuses;

/** A refusal the API answers as `{ error: { code, message, details } }` with the status of its code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ValidationIssue[];
  /** Extra response headers: `allow` on 405, `www-authenticate` on 401. */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { details?: ValidationIssue[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = errorStatuses[code];
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
  }
}

export function errorResponse(error: ApiError): ApiResponse {
  return jsonResponse(error.status, { error: { code: error.code, message: error.message, details: error.details } }, error.headers);
}
