import type { TokenStore } from '../lib/engine/ports/store.ts';
import { authorize, type Action, type Principal } from '../lib/core/token/authorization.ts';
import { authenticate } from '../lib/engine/tokens/tokens.ts';
import { headerOf, type ApiRequest } from './api-request.ts';
import { ApiError } from './api-error.ts';

const challenge = { 'www-authenticate': 'Bearer realm="flotilla"' };

/** The caller behind `Authorization: Bearer <token>`; 401 for a missing, malformed, unknown or revoked token. */
export async function authenticateRequest(tokens: TokenStore, request: ApiRequest): Promise<Principal> {
  const authorization = headerOf(request, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    throw new ApiError('unauthenticated', 'this route needs a token: send Authorization: Bearer <token>', { headers: challenge });
  }
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (presented === undefined) {
    throw new ApiError('unauthenticated', 'the Authorization header must read Bearer <token>', { headers: challenge });
  }
  const principal = await authenticate(tokens, presented);
  if (principal === undefined) throw new ApiError('unauthenticated', 'the token is not valid or has been revoked', { headers: challenge });
  return principal;
}

/** 403 unless the principal may take `action` in `namespace` (undefined: across namespaces). */
export function requireAllowed(principal: Principal | undefined, action: Action, namespace?: string): asserts principal is Principal {
  if (principal === undefined) throw new ApiError('unauthenticated', 'this route needs a token: send Authorization: Bearer <token>', { headers: challenge });
  const decision = authorize(principal, action, namespace);
  if (!decision.allowed) throw new ApiError('forbidden', decision.reason);
}

/**
 * 403 unless the principal's role allows `action` somewhere. For routes that only learn the namespace later (from the
 * submitted document, or by listing); they check the namespace themselves once they know it.
 */
export function requireRole(principal: Principal, action: Action): void {
  requireAllowed({ ...principal, namespaces: [] }, action);
}

/** Whether the principal may act in `namespace`: for filtering listings rather than refusing them. */
export function mayAccess(principal: Principal | undefined, action: Action, namespace: string): boolean {
  return principal !== undefined && authorize(principal, action, namespace).allowed;
}
