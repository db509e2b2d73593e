import type { ValidationIssue } from '../lib/core/errors/validation-error.ts';
import { jsonResponse, type ApiResponse } from './api-response.ts';
import { errorStatuses, type ErrorCode } from '../contract/error-schemas.ts';

/** A refusal the API answers as `{ error: { code, message, details } }` with the status of its code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ValidationIssue[];
  /** Extra response headers: `allow` on 405, `www-authenticate` on 401, `retry-after` on 503. */
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

/** Seconds a 503 asks the client to wait when its error names none. */
export const defaultRetryAfterSeconds = 5;

export function errorResponse(error: ApiError): ApiResponse {
  // Every 503 is "try again later" (RFC 9110 15.6.4): say when, so clients and the CLI back off instead of hammering.
  const headers = error.status === 503 ? { 'retry-after': String(defaultRetryAfterSeconds), ...error.headers } : error.headers;
  return jsonResponse(error.status, { error: { code: error.code, message: error.message, details: error.details } }, headers);
}
