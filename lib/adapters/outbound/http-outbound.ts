import { Agent, request } from 'undici';
import type { EndpointPolicy } from '../../core/cluster/endpoint-policy.ts';
import { ClusterError } from '../../engine/ports/cluster-error.ts';
import { OutboundError, type Outbound, type OutboundRequest } from '../../engine/ports/outbound.ts';
import { checkedLookup, checkLiteralEndpoint } from '../kubernetes/endpoint-lookup.ts';

export interface HttpOutboundOptions {
  policy: EndpointPolicy;
  /** The whole post, connection to last byte. */
  timeoutMs: number;
}

/**
 * Outbound posts through an undici agent whose sockets connect only to addresses the endpoint policy accepts (the
 * checked lookup of member-cluster connections). undici's `request` follows no redirect; a 3xx is a failure, since
 * its target would be a second, unchecked decision.
 */
export function httpOutbound(options: HttpOutboundOptions): Outbound {
  const agent = new Agent({ connect: { lookup: checkedLookup(options.policy), timeout: options.timeoutMs }, keepAliveTimeout: 10_000 });
  return {
    async post({ url, body, headers }: OutboundRequest) {
      const host = new URL(url).host;
      try {
        checkLiteralEndpoint(options.policy, url);
        const answer = await request(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'user-agent': 'flotilla', ...headers },
          dispatcher: agent,
          signal: AbortSignal.timeout(options.timeoutMs),
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        });
        await answer.body.dump();
        const status = answer.statusCode;
        if (status >= 200 && status < 300) return { status };
        const retryable = status === 429 || status >= 500;
        const what = status >= 300 && status < 400 ? `a redirect (HTTP ${status}), which Flotilla does not follow` : `HTTP ${status}`;
        throw new OutboundError(`${host} answered ${what}`, { retryable });
      } catch (error) {
        if (error instanceof OutboundError) throw error;
        // The egress policy said no: it will say no again.
        if (error instanceof ClusterError) throw new OutboundError(error.message, { retryable: false, cause: error });
        const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : errorText(error);
        throw new OutboundError(`cannot post to ${host}: ${reason}`, { retryable: true, cause: error });
      }
    },
  };
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof ClusterError ? error.cause.message : undefined;
  const code = (error as { code?: string }).code;
  return cause ?? (code ? `${code} ${error.message}` : error.message);
}
