import type { TokenStore } from '../lib/engine/ports/store.ts';
import { authorize, type Action, type Principal } from '../lib/core/token/authorization.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';
import { recordTokenUse, verifyToken } from '../lib/engine/tokens/tokens.ts';
import type { ApiLog } from './api-dependencies.ts';
import { headerOf, type ApiRequest } from './api-request.ts';
import { ApiError } from './api-error.ts';

const challenge = { 'www-authenticate': 'Bearer realm="flotilla"' };

export interface AuthenticationDeps {
  tokens: TokenStore;
  now(): Date;
  log: ApiLog;
}

/**
 * The caller behind `Authorization: Bearer <token>`; 401 for a missing, malformed, unknown, revoked or expired token.
 * A live token's last use is recorded on the way (at most once a minute); failing to record it fails nothing.
 */
export async function authenticateRequest(deps: AuthenticationDeps, request: ApiRequest): Promise<Principal> {
  const authorization = headerOf(request, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    throw new ApiError('unauthenticated', 'this route needs a token: send Authorization: Bearer <token>', { headers: challenge });
  }
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (presented === undefined) {
    throw new ApiError('unauthenticated', 'the Authorization header must read Bearer <token>', { headers: challenge });
  }
  const now = deps.now();
  const check = await verifyToken(deps.tokens, presented, now);
  if (check.outcome === 'expired') {
    throw new ApiError('unauthenticated', `the token expired at ${check.expiresAt}; ask an admin for a new one`, { headers: challenge });
  }
  if (check.outcome === 'invalid') throw new ApiError('unauthenticated', 'the token is not valid or has been revoked', { headers: challenge });
  try {
    await recordTokenUse(deps.tokens, check.record, now);
  } catch (err) {
    deps.log('warn', 'could not record the last use of a token', { tokenId: check.record.id, requestId: request.requestId, error: errorMessage(err) });
  }
  return check.principal;
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
