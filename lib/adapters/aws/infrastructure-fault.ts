// Which errors of the AWS clients mean "the store, the queues or the key service are down" rather than "this request
// is wrong": the API answers those with 503 and Retry-After instead of a bare 500, and the local runtime re-provisions
// what went missing. Recognised by the error's shape only (name, code, $fault, HTTP status), never by its text.

export type AwsService = 'dynamodb' | 'sqs' | 'kms';

export type FaultKind =
  /** Connection refused, reset or the host unresolvable: nothing answers at the endpoint. */
  | 'unreachable'
  /** No answer within the client's connection or request timeout. */
  | 'timeout'
  /** The service refused for load (throttling, provisioned throughput). */
  | 'throttled'
  /** The service answered with a 5xx. */
  | 'service-error'
  /** The table, queue or key does not exist (e.g. an emulator restarted empty). */
  | 'missing';

export interface InfrastructureFault {
  /** Which client failed; undefined when only the error's name tells it is AWS's (then it is not known which one). */
  service: AwsService | undefined;
  kind: FaultKind;
}

/** Errors that came out of one of our AWS clients, and which one; set by `tagFaultsOf`. */
const origins = new WeakMap<object, AwsService>();

type Next = (args: unknown) => Promise<unknown>;

/**
 * Marks every error a client throws with the client's service, so a bare socket error (ECONNREFUSED has no AWS shape)
 * is known to be the store's and not, say, a member cluster's.
 */
export function tagFaultsOf(client: { middlewareStack: unknown }, service: AwsService): void {
  const middleware = (next: Next) => async (args: unknown) => {
    try {
      return await next(args);
    } catch (err) {
      if (typeof err === 'object' && err !== null && !origins.has(err)) origins.set(err, service);
      throw err;
    }
  };
  // The clients' stacks have different input types; this one only passes through and tags what is thrown.
  (client.middlewareStack as { add(m: typeof middleware, o: object): void }).add(middleware, {
    step: 'initialize',
    priority: 'high',
    name: `flotillaFaultTag-${service}`,
  });
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const timeoutCodes = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const timeoutNames = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const throttlingNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'RequestThrottled',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'OverLimit',
  'SlowDown',
]);
const missing: Record<string, AwsService | undefined> = {
  // DynamoDB says this only of tables and indexes (a missing item is an empty answer), KMS of keys.
  ResourceNotFoundException: undefined,
  NotFoundException: 'kms',
  QueueDoesNotExist: 'sqs',
  'AWS.SimpleQueueService.NonExistentQueue': 'sqs',
};

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  errors?: unknown;
  cause?: unknown;
}

/**
 * The fault behind `err`, or undefined when it is not one. Follows `cause` (an adapter may wrap what the SDK threw),
 * and only errors that passed through a tagged client or carry the SDK's `$metadata` count: a member cluster's
 * ECONNREFUSED is not the store's.
 */
export function infrastructureFault(err: unknown): InfrastructureFault | undefined {
  for (let current = err, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const found = classify(current as ErrorShape);
    if (found) return found;
    current = (current as ErrorShape).cause;
  }
  return undefined;
}

function classify(err: ErrorShape): InfrastructureFault | undefined {
  const tagged = origins.get(err);
  const fromSdk = typeof err.$metadata === 'object' && err.$metadata !== null;
  if (tagged === undefined && !fromSdk) return undefined;
  const name = typeof err.name === 'string' ? err.name : '';
  const kind = kindOf(err, name);
  if (kind === undefined) return undefined;
  return { service: tagged ?? (name in missing ? missing[name] : undefined), kind };
}

function kindOf(err: ErrorShape, name: string): FaultKind | undefined {
  if (name in missing) return 'missing';
  if (throttlingNames.has(name)) return 'throttled';
  const codes = codesOf(err);
  if (timeoutNames.has(name) || codes.some((code) => timeoutCodes.has(code))) return 'timeout';
  if (codes.some((code) => networkCodes.has(code))) return 'unreachable';
  const status = err.$metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (err.$fault === 'server' || (typeof status === 'number' && status >= 500)) return 'service-error';
  return undefined;
}

/** A socket error's code; Node reports a refused dual-stack connect as an AggregateError of one per address. */
function codesOf(err: ErrorShape): string[] {
  const own = typeof err.code === 'string' ? [err.code] : [];
  const inner = Array.isArray(err.errors) ? err.errors.flatMap((e: unknown) => (typeof e === 'object' && e !== null ? codesOf(e as ErrorShape) : [])) : [];
  return [...own, ...inner];
}

/** Seconds a client should wait before trying again, by what went wrong. */
export function retryAfterSeconds(fault: InfrastructureFault): number {
  return { unreachable: 5, timeout: 5, throttled: 1, 'service-error': 2, missing: 10 }[fault.kind];
}

/** What went wrong, for people: no endpoint, host or AWS wording, which may describe internals. */
export function describeFault(fault: InfrastructureFault): string {
  const what = fault.service === 'sqs' ? 'queue' : fault.service === 'kms' ? 'key' : 'table';
  return {
    unreachable: 'could not be reached',
    timeout: 'did not answer in time',
    throttled: 'is throttling requests',
    'service-error': 'answered with a server error',
    missing: `has no such ${what} (was it re-created empty?)`,
  }[fault.kind];
}
