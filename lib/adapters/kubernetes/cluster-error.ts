import { ClusterError } from '../../engine/ports/cluster-error.ts';

interface StatusBody {
  message?: string;
  reason?: string;
}

/** Keeps the API server's own words (`namespaces "multi-cluster" not found`), which users recognise. */
export function toClusterError(err: unknown, what: string): ClusterError {
  if (err instanceof ClusterError) return err;
  // fetch wraps what its dispatcher refused (the endpoint policy, a redirect) as `fetch failed`: keep the refusal.
  if (err instanceof Error && err.cause instanceof ClusterError) {
    const { message, retryable, status } = err.cause;
    return new ClusterError(`${what}: ${message}`, { retryable, ...(status === undefined ? {} : { status }), cause: err.cause });
  }
  if (isApiException(err)) return httpClusterError(err.code, err.body, what, err);
  const cause = err instanceof Error ? err : new Error(String(err));
  const detail = networkDetail(cause);
  return new ClusterError(`${what}: ${detail}`, { retryable: true, cause: err });
}

/**
 * client-node's ApiException, recognised by shape (a numeric HTTP `code` and a `body`) rather than by class, so the
 * modules that only reach clusters over plain HTTPS do not load client-node for an instanceof.
 */
function isApiException(err: unknown): err is Error & { code: number; body: unknown } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'number' && 'body' in err;
}

/** An API server's error answer: its Status message, retryable for throttling and server errors. */
export function httpClusterError(status: number, body: unknown, what: string, cause?: unknown): ClusterError {
  const parsed = parseBody(body);
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const message = text(parsed.message) ?? text(parsed.reason) ?? `HTTP ${status}`;
  return new ClusterError(`${what}: ${message}`, { retryable: status === 429 || status >= 500, status, cause });
}

function parseBody(body: unknown): StatusBody {
  if (typeof body === 'object' && body !== null) return body as StatusBody;
  if (typeof body !== 'string') return {};
  // Only a Kubernetes Status's own words are shown: a raw body (a proxy's page, whatever an endpoint chose to say)
  // is not echoed into API answers.
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : {};
  } catch {
    return {};
  }
}

/** fetch wraps socket errors as `fetch failed` with the useful part in `cause`; undici's request throws them as they are. */
function networkDetail(err: Error): string {
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'request timed out';
  const coded = (err.cause ?? err) as Error & { code?: string };
  if (!coded.code) return coded.message;
  return coded.message.includes(coded.code) ? coded.message : `${coded.code} ${coded.message}`.trim();
}
