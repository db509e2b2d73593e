import type { TokenSummary } from '../../lib/engine/tokens/tokens.ts';
import { createToken, listTokens, revokeToken } from '../../lib/engine/tokens/tokens.ts';
import { schemaResponse } from '../api-response.ts';
import { jsonBody } from '../request-body.ts';
import { defineRoute } from '../route.ts';
import { TokenPath } from '../../contract/parameters.ts';
import { CreatedToken, CreateTokenRequest, TokenList, TokenView } from '../../contract/token-schemas.ts';

// The token library calls the human label `description`; the API calls it `name`, as the CLI's flags do.
function viewOf(summary: TokenSummary) {
  const { description, ...rest } = summary;
  return { ...rest, name: description };
}

const createTokenRoute = defineRoute({
  method: 'POST',
  path: '/tokens',
  operationId: 'createToken',
  summary: 'Create a bearer token',
  description:
    'The answer holds the token itself, this once; only its hash is stored. A token may expire (expiresInDays or expiresAt, at most 365 days ahead) and a deployer may be limited to member clusters (clusters: names and/or a label selector).',
  tag: 'tokens',
  access: { action: 'tokens:write' },
  body: jsonBody(CreateTokenRequest),
  responses: { 201: { description: 'The new token.', schema: CreatedToken } },
  handle: async ({ body }, deps) => {
    const { name, ...rest } = body;
    const created = await createToken(deps.store.tokens, { description: name, ...rest }, deps.now());
    return schemaResponse(201, CreatedToken, { ...viewOf(created.summary), token: created.token });
  },
});

const listTokensRoute = defineRoute({
  method: 'GET',
  path: '/tokens',
  operationId: 'listTokens',
  summary: 'List tokens (never the tokens themselves)',
  description: 'Revoked and expired tokens stay listed, with revokedAt, expiresAt, lastUsedAt and their state.',
  tag: 'tokens',
  access: { action: 'tokens:read' },
  responses: { 200: { description: 'Every token ever created.', schema: TokenList } },
  handle: async (_input, deps) => schemaResponse(200, TokenList, { tokens: (await listTokens(deps.store.tokens, deps.now())).map(viewOf) }),
});

const revokeTokenRoute = defineRoute({
  method: 'DELETE',
  path: '/tokens/{id}',
  operationId: 'revokeToken',
  summary: 'Revoke a token',
  description: 'From now on the token answers 401. Revoking a revoked token changes nothing.',
  tag: 'tokens',
  access: { action: 'tokens:write' },
  params: TokenPath,
  responses: { 200: { description: 'The revoked token.', schema: TokenView } },
  handle: async ({ params }, deps) => schemaResponse(200, TokenView, viewOf(await revokeToken(deps.store.tokens, params.id, deps.now()))),
});

export const tokenRoutes = [createTokenRoute, listTokensRoute, revokeTokenRoute];
