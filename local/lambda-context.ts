import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { functionMemoryMb } from '../functions/memory-sizes.ts';

/**
 * A Lambda context for one local invocation; middy uses getRemainingTimeInMillis to abort before the timeout. The memory
 * is the one the CDK stack gives the function (functions/memory-sizes.ts), so GB-seconds are counted as on AWS.
 */
export function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(functionName in functionMemoryMb ? functionMemoryMb[functionName as keyof typeof functionMemoryMb] : 1024),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
