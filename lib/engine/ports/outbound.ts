/** One POST Flotilla makes on a workflow's behalf (a notification or webhook step). */
export interface OutboundRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * Posts to addresses users name, under the same egress rules as member-cluster endpoints (the address resolved once
 * and checked, metadata and link-local never, loopback only where allowed, no redirects), with a timeout. Resolves
 * with the answer's status for any 2xx; throws OutboundError otherwise.
 */
export interface Outbound {
  post(request: OutboundRequest): Promise<{ status: number }>;
}

/** A post that did not succeed; `retryable` for the network, timeouts, 429 and 5xx. Its message never names the URL. */
export class OutboundError extends Error {
  readonly retryable: boolean;

  constructor(message: string, opts: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'OutboundError';
    this.retryable = opts.retryable;
  }
}
