import { ClusterInUseError, UnknownClusterError } from '../lib/core/cluster/cluster-errors.ts';
import { ValidationError } from '../lib/core/errors/validation-error.ts';
import { WorkflowOperationError } from '../lib/engine/planner/workflow-operations.ts';
import { ConflictError, type ConflictReason } from '../lib/engine/ports/conflict-error.ts';
import { UnknownTokenError } from '../lib/engine/tokens/tokens.ts';
import { TriggerTargetError } from '../integrations/triggers/deploy-image.ts';
import { UnknownTriggerError } from '../integrations/triggers/triggers.ts';
import { describeFault, infrastructureFault, retryAfterSeconds, type InfrastructureFault } from '../lib/adapters/aws/infrastructure-fault.ts';
import { ApiError } from './api-error.ts';
import { type ErrorCode } from '../contract/error-schemas.ts';

const conflictCodes: Record<ConflictReason, ErrorCode> = {
  'already-exists': 'already_exists',
  changed: 'conflict',
  deleting: 'application_deleting',
};

const triggerTargetCodes: Record<TriggerTargetError['reason'], ErrorCode> = {
  'application-missing': 'application_not_found',
  'application-deleting': 'application_deleting',
  'component-unfit': 'trigger_misconfigured',
};

/**
 * The answer for an error the domain threw on purpose. Undefined means the error is unexpected: the caller logs it
 * and answers 500 without its text, which might describe internals.
 */
export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof ValidationError) return new ApiError('validation_failed', err.message, { details: err.details });
  if (err instanceof UnknownClusterError) return new ApiError('cluster_not_found', err.message);
  if (err instanceof UnknownTokenError) return new ApiError('token_not_found', err.message);
  if (err instanceof ClusterInUseError) return new ApiError('cluster_in_use', err.message);
  if (err instanceof WorkflowOperationError) return new ApiError('workflow_operation_refused', err.message);
  if (err instanceof ConflictError) return new ApiError(conflictCodes[err.reason], err.message);
  if (err instanceof UnknownTriggerError) return new ApiError('trigger_not_found', err.message);
  if (err instanceof TriggerTargetError) return new ApiError(triggerTargetCodes[err.reason], err.message);
  return undefined;
}

const serviceWords = { dynamodb: 'the store (DynamoDB)', sqs: 'the queue service (SQS)', kms: 'the key service (KMS)' } as const;

/**
 * The answer for the store, queues or key service failing underneath a request: 503 with Retry-After, never a bare
 * 500, since retrying later is exactly what helps. The message quotes the request id, under which the log has the
 * AWS error itself. Undefined when `err` is no such fault.
 */
export function faultToApiError(err: unknown, requestId: string): { error: ApiError; fault: InfrastructureFault } | undefined {
  const fault = infrastructureFault(err);
  if (fault === undefined) return undefined;
  const code: ErrorCode = fault.service === 'sqs' ? 'queue_unavailable' : 'store_unavailable';
  const who = fault.service === undefined ? 'the store' : serviceWords[fault.service];
  const retryAfter = retryAfterSeconds(fault);
  const error = new ApiError(code, `${who} ${describeFault(fault)}; retry in ${retryAfter} s (request id ${requestId})`, {
    headers: { 'retry-after': String(retryAfter) },
  });
  return { error, fault };
}
