import * as z from 'zod';

const TokenClusters = z
  .strictObject({
    names: z.array(z.string()).optional().meta({ description: 'Member clusters the token may place on, by name (at most 100).' }),
    selector: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Labels a member cluster must all carry for the token to place on it (at most 20).' }),
  })
  .meta({ description: 'The clusters the token may place on: named, or matching the selector (either, when both are given).' });

export const CreateTokenRequest = z.strictObject({
  name: z.string().min(1).max(200).meta({ description: 'What the token is for, e.g. `ci-deployer`; shown in listings.' }),
  role: z.enum(['admin', 'deployer', 'viewer']).meta({
    description: 'viewer: reads; deployer: reads and applications (in its namespaces); admin: everything, clusters and tokens included.',
  }),
  namespaces: z.array(z.string()).optional().meta({ description: 'Limit a deployer or viewer to these namespaces; empty or absent means all.' }),
  clusters: TokenClusters.optional().meta({ description: 'Limit a deployer to these member clusters; absent means all.' }),
  expiresInDays: z.int().optional().meta({ description: 'The token answers 401 this many days from now (1 to 365).' }),
  expiresAt: z.string().optional().meta({ description: 'Or: the instant it expires (RFC 3339), after now and at most 365 days ahead. Neither: it never expires.' }),
});

/** A token as listings show it: never the token, never its hash. */
export const TokenView = z.object({
  id: z.string().meta({ description: 'The public handle for revoking it.' }),
  name: z.string(),
  role: z.enum(['admin', 'deployer', 'viewer']),
  namespaces: z.array(z.string()),
  clusters: TokenClusters.optional(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().optional().meta({ description: 'Absent: it never expires.' }),
  lastUsedAt: z.iso.datetime().optional().meta({ description: 'When it last authenticated, to the minute; absent: never used.' }),
  revokedAt: z.iso.datetime().optional(),
  state: z.enum(['active', 'expired', 'revoked']).meta({ description: 'As of this answer; revoked wins over expired.' }),
});

export const CreatedToken = TokenView.extend({
  token: z.string().meta({ description: 'The bearer token. Shown this once: only its hash is stored.' }),
});

export const TokenList = z.object({ tokens: z.array(TokenView) });
