import { ApiException } from '@kubernetes/client-node';

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

interface StatusBody {
  message?: string;
  reason?: string;
}

/** Keeps the API server's own words (`namespaces "multi-cluster" not found`), which users recognise. */
export function toClusterError(err: unknown, what: string): ClusterError {
  if (err instanceof ClusterError) return err;
  if (err instanceof ApiException) {
    const status = err.code;
    const body = parseBody(err.body);
    const message = body.message ?? body.reason ?? `HTTP ${status}`;
    return new ClusterError(`${what}: ${message}`, { retryable: status === 429 || status >= 500, status, cause: err });
  }
  const cause = err instanceof Error ? err : new Error(String(err));
  const detail = networkDetail(cause);
  return new ClusterError(`${what}: ${detail}`, { retryable: true, cause: err });
}

function parseBody(body: unknown): StatusBody {
  if (typeof body === 'object' && body !== null) return body as StatusBody;
  if (typeof body !== 'string') return {};
  try {
    return JSON.parse(body) as StatusBody;
  } catch {
    return { message: body.slice(0, 500) };
  }
}

/** fetch wraps socket errors as `fetch failed` with the useful part in `cause`. */
function networkDetail(err: Error): string {
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'request timed out';
  const cause = err.cause as (Error & { code?: string }) | undefined;
  if (cause?.code) return `${cause.code} ${cause.message}`.trim();
  return cause?.message ?? err.message;
}
