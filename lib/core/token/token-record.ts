import * as z from 'zod';
import { TokenClusterScope } from '../application/application-record.ts';

export const TokenRecord = z.object({
  /** Public handle for list and revoke: a prefix of the hash, never part of the token itself. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  /** SHA-256 of the whole bearer token, hex. The token itself is never stored. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  description: z.string(),
  role: z.enum(['admin', 'deployer', 'viewer']),
  /** Namespaces the token may act in; empty means all. */
  namespaces: z.array(z.string()),
  /** The member clusters the token may place on; absent: all. */
  clusters: TokenClusterScope.optional(),
  createdAt: z.iso.datetime(),
  /** From this instant on the token answers 401; absent: it never expires. */
  expiresAt: z.iso.datetime().optional(),
  /** When the token last authenticated, to the minute (recorded at most once a minute, never with a version bump). */
  lastUsedAt: z.iso.datetime().optional(),
  revokedAt: z.iso.datetime().optional(),
  version: z.int().positive(),
});

export type TokenRecord = z.infer<typeof TokenRecord>;
