import { PlacementError } from '../../lib/core/errors/placement-error.ts';
import { ValidationError } from '../../lib/core/errors/validation-error.ts';
import { ApiRequestError } from '../client/api-client.ts';
import { errorMessage } from '../../lib/core/errors/error-message.ts';

/** The stderr text for a failed command: `Error: ...`, with what the API listed and what to do about it where it helps. */
export function failureMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return apiFailure(error);
  if (error instanceof ValidationError) return `Error: ${error.message}\n`;
  if (error instanceof PlacementError) {
    return `Error: ${error.step === undefined ? '' : `step ${error.step}: `}${error.message} (policy ${error.policy})\n`;
  }
  if (error instanceof Error && 'code' in error && 'path' in error) return `Error: cannot read ${String(error.path)}: ${String(error.code)}\n`;
  return `Error: ${errorMessage(error)}\n`;
}

const hints: Record<string, string> = {
  unauthenticated: 'check FLOTILLA_TOKEN, or run flotilla login with a valid token',
};

function apiFailure(error: ApiRequestError): string {
  // A validation message already lists its problems; other errors may carry details the message does not repeat.
  const details = error.details.filter((detail) => !error.message.includes(detail.message)).map((d) => `  ${d.path === '' ? '' : `${d.path}: `}${d.message}\n`);
  const hint = error.hint ?? hints[error.code];
  return `Error: ${error.message}\n${details.join('')}${hint === undefined ? '' : `(${hint})\n`}`;
}
