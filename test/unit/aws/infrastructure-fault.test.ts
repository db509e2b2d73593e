import { ConditionalCheckFailedException, InternalServerError, ProvisionedThroughputExceededException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { QueueDoesNotExist } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { faultToApiError } from '../../../api/error-mapping.ts';
import { errorResponse } from '../../../api/api-error.ts';
import { infrastructureFault, retryAfterSeconds } from '../../../lib/adapters/aws/infrastructure-fault.ts';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

/** An SDK-shaped error (the SDK attaches $metadata to whatever it throws, socket errors included). */
function sdkError(name: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...fields });
}

describe('infrastructure faults', () => {
  it.each([
    [new ResourceNotFoundException({ message: 'Requested resource not found', ...meta(400) }), { service: undefined, kind: 'missing' }],
    [new QueueDoesNotExist({ message: 'The specified queue does not exist.', ...meta(400) }), { service: 'sqs', kind: 'missing' }],
    [new ProvisionedThroughputExceededException({ message: 'slow down', ...meta(400) }), { service: undefined, kind: 'throttled' }],
    [new InternalServerError({ message: 'boom', ...meta(500) }), { service: undefined, kind: 'service-error' }],
    [sdkError('Error', { code: 'ECONNREFUSED' }), { service: undefined, kind: 'unreachable' }],
    [sdkError('AggregateError', { code: undefined, errors: [{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }] }), { service: undefined, kind: 'unreachable' }],
    [sdkError('TimeoutError', { code: 'ETIMEDOUT' }), { service: undefined, kind: 'timeout' }],
    [sdkError('ServiceUnavailable', { $fault: 'server', $metadata: { httpStatusCode: 503 } }), { service: undefined, kind: 'service-error' }],
    [sdkError('TooMany', { $metadata: { httpStatusCode: 429 } }), { service: undefined, kind: 'throttled' }],
  ])('%s is %o', (err, fault) => {
    expect(infrastructureFault(err)).toEqual(fault);
  });

  it('follows the cause an adapter wrapped the SDK error in', () => {
    const wrapped = new Error('reading the cluster failed', { cause: new ResourceNotFoundException({ message: 'gone', ...meta(400) }) });
    expect(infrastructureFault(wrapped)?.kind).toBe('missing');
  });

  it.each([
    ['a refusal of the request itself', new ConditionalCheckFailedException({ message: 'condition', ...meta(400) })],
    // A member cluster's socket error has the same code, but never passed through an AWS client.
    ['a socket error from elsewhere', Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6443'), { code: 'ECONNREFUSED' })],
    ['a plain error', new Error('bug')],
    ['a non-error', 'string'],
  ])('%s is no fault', (_what, err) => {
    expect(infrastructureFault(err)).toBeUndefined();
  });

  it('asks throttled clients to come back soonest and missing resources latest', () => {
    expect(retryAfterSeconds({ service: 'dynamodb', kind: 'throttled' })).toBeLessThan(retryAfterSeconds({ service: 'dynamodb', kind: 'missing' }));
  });
});

describe('faults as API answers', () => {
  it('a store fault is 503 store_unavailable with Retry-After and the request id', () => {
    const found = faultToApiError(new ResourceNotFoundException({ message: 'Requested resource not found', ...meta(400) }), 'req-1');
    const response = errorResponse(found!.error);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('10');
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'store_unavailable', message: 'the store has no such table (was it re-created empty?); retry in 10 s (request id req-1)', details: [] },
    });
  });

  it('a queue fault is 503 queue_unavailable', () => {
    const found = faultToApiError(new QueueDoesNotExist({ message: 'gone', ...meta(400) }), 'req-2');
    expect(found?.error).toMatchObject({ code: 'queue_unavailable', status: 503 });
    expect(found?.error.message).toContain('the queue service (SQS) has no such queue');
  });

  it('anything else is left to the 500 path', () => {
    expect(faultToApiError(new Error('bug'), 'req-3')).toBeUndefined();
  });
});
