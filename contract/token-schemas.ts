import * as z from 'zod';

export const CreateTokenRequest = z.strictObject({
  name: z.string().min(1).max(200).meta({ description: 'What the token is for, e.g. `ci-deployer`; shown in listings.' }),
  role: z.enum(['admin', 'deployer', 'viewer']).meta({
    description: 'viewer: reads; deployer: reads and applications (in its namespaces); admin: everything, clusters and tokens included.',
  }),
  namespaces: z.array(z.string()).optional().meta({ description: 'Limit a deployer or viewer to these namespaces; empty or absent means all.' }),
});

/** A token as listings show it: never the token, never its hash. */
export const TokenView = z.object({
  id: z.string().meta({ description: 'The public handle for revoking it.' }),
  name: z.string(),
  role: z.enum(['admin', 'deployer', 'viewer']),
  namespaces: z.array(z.string()),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
});

export const CreatedToken = TokenView.extend({
  token: z.string().meta({ description: 'The bearer token. Shown this once: only its hash is stored.' }),
});

export const TokenList = z.object({ tokens: z.array(TokenView) });
