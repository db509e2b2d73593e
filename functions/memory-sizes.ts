/**
 * Each function's memory in MB: the CDK stack configures its functions with these, and the local runtime hands them to
 * its handlers as the Lambda context's memoryLimitInMB, so a local run's GB-seconds are priced as on AWS.
 */
export const functionMemoryMb = {
  api: 1024,
  planner: 1024,
  applier: 1024,
  refresh: 512,
  triggers: 512,
  authorizer: 256,
} as const;

export type FunctionName = keyof typeof functionMemoryMb;
