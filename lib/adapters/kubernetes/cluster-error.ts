import { ClusterError } from '../../engine/ports/cluster-error.ts';

interface StatusBody {
  message?: string;
  reason?: string;
}

/** Keeps the API server's own words (`namespaces "multi-cluster" not found`), which users recognise. */
export function toClusterError(err: unknown, what: string): ClusterError {
  if (err instanceof ClusterError) return err;
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
  const message = parsed.message ?? parsed.reason ?? `HTTP ${status}`;
  return new ClusterError(`${what}: ${message}`, { retryable: status === 429 || status >= 500, status, cause });
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

/** fetch wraps socket errors as `fetch failed` with the useful part in `cause`; undici's request throws them as they are. */
function networkDetail(err: Error): string {
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'request timed out';
  const coded = (err.cause ?? err) as Error & { code?: string };
  if (!coded.code) return coded.message;
  return coded.message.includes(coded.code) ? coded.message : `${coded.code} ${coded.message}`.trim();
}
