// The HTTP API's Lambda request authorizer: the gateway half of "auth enforced" (docs/deploy.md, "Authentication at
// the gateway"). API Gateway itself answers 401 when the Authorization header is missing or empty, without invoking
// this function (the header is the authorizer's identity source). This function lets through only headers that carry
// a Flotilla bearer token (`Bearer flt_` + 43 characters), so nothing else reaches the API function. Whether the token
// exists, is revoked, and what it may do is decided by the API function, which answers 401/403 in the API's own
// error shape; the gateway cannot, since it only knows allow and deny (403).
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { looksLikeToken } from '../lib/core/token/bearer-token.ts';

const bearer = /^Bearer\s+(\S+)\s*$/i;

/** Whether an Authorization header value is `Bearer <something shaped like a Flotilla token>`. */
export function isBearerToken(authorization: string | undefined): boolean {
  const presented = authorization === undefined ? undefined : bearer.exec(authorization)?.[1];
  return presented !== undefined && looksLikeToken(presented);
}

export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerResult> {
  // HTTP API lower-cases header names in payload 2.0; identitySource holds the same value.
  return { isAuthorized: isBearerToken(event.headers?.authorization ?? event.identitySource?.[0]) };
}
