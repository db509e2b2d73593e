import * as z from 'zod';
import { isDnsLabel } from '../../core/application/dns-name.ts';
import { parseWith } from '../../core/errors/zod-issues.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import type { TokenRecord } from '../../core/token/token-record.ts';
import type { TokenStore } from '../ports/store.ts';
import type { Principal } from '../../core/token/authorization.ts';
import { hashToken, looksLikeToken, mintToken, sameHash, tokenIdOf } from '../../core/token/bearer-token.ts';

export const TokenRequest = z
  .strictObject({
    role: z.enum(['admin', 'deployer', 'viewer']),
    description: z.string().max(200).default(''),
    namespaces: z
      .array(z.string().refine(isDnsLabel, { error: 'must be a namespace name (DNS-1123 label)' }))
      .default([]),
  })
  .refine((request) => request.role !== 'admin' || request.namespaces.length === 0, {
    path: ['namespaces'],
    error: 'admin tokens manage clusters and tokens for everyone, so they cannot be limited to namespaces',
  });
export type TokenRequest = z.input<typeof TokenRequest>;

/** A token as the API shows it: never the hash, never the token. */
export interface TokenSummary {
  id: string;
  description: string;
  role: TokenRecord['role'];
  namespaces: string[];
  createdAt: string;
  revokedAt: string | undefined;
}

export interface CreatedToken {
  /** The bearer token itself: returned once, at creation, and never again. */
  token: string;
  summary: TokenSummary;
}

/** No token with that id (HTTP 404). */
export class UnknownTokenError extends Error {
  constructor(id: string) {
    super(`no token with id ${id}`);
    this.name = 'UnknownTokenError';
  }
}

export async function createToken(store: TokenStore, input: unknown, now: Date = new Date()): Promise<CreatedToken> {
  const request = parseWith(TokenRequest, input, '');
  const minted = mintToken();
  const record = await store.create({
    id: minted.id,
    hash: minted.hash,
    description: request.description,
    role: request.role,
    namespaces: request.namespaces,
    createdAt: now.toISOString(),
    version: 1,
  });
  return { token: minted.token, summary: summarizeToken(record) };
}

export async function listTokens(store: TokenStore): Promise<TokenSummary[]> {
  return (await store.list()).map(summarizeToken);
}

/** Revoked tokens stay listed (with revokedAt) so that the record of who had access survives. */
export async function revokeToken(store: TokenStore, id: string, now: Date = new Date()): Promise<TokenSummary> {
  for (;;) {
    const record = await store.get(id);
    if (!record) throw new UnknownTokenError(id);
    if (record.revokedAt) return summarizeToken(record);
    try {
      return summarizeToken(await store.replace({ ...record, revokedAt: now.toISOString() }, record.version));
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // changed meanwhile: read again
    }
  }
}

/** The principal behind a presented bearer token, or undefined for anything not a live token (HTTP 401). */
export async function authenticate(store: TokenStore, presented: string): Promise<Principal | undefined> {
  if (!looksLikeToken(presented)) return undefined;
  const hash = hashToken(presented);
  const record = await store.get(tokenIdOf(hash));
  if (!record || record.revokedAt || !sameHash(record.hash, hash)) return undefined;
  return { tokenId: record.id, role: record.role, namespaces: record.namespaces };
}

export function summarizeToken(record: TokenRecord): TokenSummary {
  return {
    id: record.id,
    description: record.description,
    role: record.role,
    namespaces: record.namespaces,
    createdAt: record.createdAt,
    revokedAt: record.revokedAt,
  };
}
