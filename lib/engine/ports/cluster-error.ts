/**
 * A failed call to a member cluster, sorted for the workflow engine: retryable failures (the network, 429, 5xx) are
 * retried with backoff; the rest (a missing namespace, an invalid object, forbidden) fail the target at once.
 */
export class ClusterError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, opts: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'ClusterError';
    this.retryable = opts.retryable;
    this.status = opts.status;
  }
}
