import { describe, expect, it } from 'vitest';
import { ApiError, errorResponse } from '../../../api/api-error.ts';
import { toApiError } from '../../../api/error-mapping.ts';
import { ClusterInUseError, UnknownClusterError } from '../../../lib/core/cluster/cluster-errors.ts';
import { ValidationError } from '../../../lib/core/errors/validation-error.ts';
import { WorkflowOperationError } from '../../../lib/engine/planner/workflow-operations.ts';
import { ConflictError } from '../../../lib/engine/ports/conflict-error.ts';
import { UnknownTokenError } from '../../../lib/engine/tokens/tokens.ts';

const inventory = {
  namespace: 'default',
  application: 'example-app',
  revision: 2,
  cluster: 'beijing-1',
  resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'hello' }],
  recordedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

describe('domain errors as API errors', () => {
  it.each([
    [new ValidationError([{ path: 'spec.components[0].type', message: 'unknown' }, { path: 'metadata.name', message: 'bad' }]), 400, 'validation_failed'],
    [new UnknownClusterError('beijing-9'), 404, 'cluster_not_found'],
    [new UnknownTokenError('0123456789abcdef'), 404, 'token_not_found'],
    [new ClusterInUseError('beijing-1', 'detach', [inventory]), 409, 'cluster_in_use'],
    [new WorkflowOperationError('workflow x is not suspended.'), 409, 'workflow_operation_refused'],
    [new ConflictError('cluster', 'beijing-1', 'already-exists'), 409, 'already_exists'],
    [new ConflictError('application', 'default/x', 'changed'), 409, 'conflict'],
    [new ConflictError('application', 'default/x', 'deleting'), 409, 'application_deleting'],
  ])('%s answers %i %s with its own message', (error, status, code) => {
    const mapped = toApiError(error);
    expect(mapped).toMatchObject({ status, code, message: error.message });
  });

  it('keeps every validation detail', () => {
    const details = [
      { path: 'a', message: 'one' },
      { path: 'b[0]', message: 'two' },
    ];
    expect(toApiError(new ValidationError(details))?.details).toEqual(details);
  });

  it('leaves errors nobody meant to show to the caller, who answers 500 without their text', () => {
    expect(toApiError(new Error('ECONNRESET talking to dynamodb'))).toBeUndefined();
    expect(toApiError('a string')).toBeUndefined();
  });

  it('renders the one error shape with the status and extra headers', () => {
    const response = errorResponse(new ApiError('method_not_allowed', '/clusters answers GET, POST, not PUT', { headers: { allow: 'GET, POST' } }));
    expect(response.status).toBe(405);
    expect(response.headers).toEqual({ 'content-type': 'application/json', allow: 'GET, POST' });
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'method_not_allowed', message: '/clusters answers GET, POST, not PUT', details: [] } });
  });
});
