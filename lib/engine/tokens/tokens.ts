import * as z from 'zod';
import { isDnsLabel } from '../../core/application/dns-name.ts';
import type { TokenClusterScope } from '../../core/application/application-record.ts';
import { checkLabels } from '../../core/cluster/cluster-labels.ts';
import { ValidationError } from '../../core/errors/validation-error.ts';
import { parseWith } from '../../core/errors/zod-issues.ts';
import { ClusterName } from '../../core/policy/cluster-name.ts';
import { clusterScopeLimits } from '../../core/tenancy/cluster-scope.ts';
import { expiryOf, isExpired, lastUseIsStale, maxTokenLifetimeDays, staleBefore } from '../../core/token/token-expiry.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import type { TokenRecord } from '../../core/token/token-record.ts';
import type { TokenStore } from '../ports/store.ts';
import type { Principal } from '../../core/token/authorization.ts';
import { hashToken, looksLikeToken, mintToken, sameHash, tokenIdOf } from '../../core/token/bearer-token.ts';

const ClusterScopeRequest = z
  .strictObject({
    names: z.array(ClusterName).max(clusterScopeLimits.names).optional(),
    selector: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((scope, context) => {
    const entries = Object.keys(scope.selector ?? {}).length;
    if (entries > clusterScopeLimits.selectorEntries) {
      context.addIssue({ code: 'custom', path: ['selector'], message: `must have at most ${clusterScopeLimits.selectorEntries} labels, not ${entries}` });
    }
    if ((scope.names ?? []).length === 0 && entries === 0) {
      context.addIssue({ code: 'custom', path: [], message: 'name clusters (names) or labels they must carry (selector), or leave clusters out for every cluster' });
    }
  });

export const TokenRequest = z
  .strictObject({
    role: z.enum(['admin', 'deployer', 'viewer']),
    description: z.string().max(200).default(''),
    namespaces: z
      .array(z.string().refine(isDnsLabel, { error: 'must be a namespace name (DNS-1123 label)' }))
      .default([]),
    clusters: ClusterScopeRequest.optional(),
    expiresInDays: z.int().min(1).max(maxTokenLifetimeDays).optional(),
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time, e.g. 2026-12-31T00:00:00Z' }).optional(),
  })
  .refine((request) => request.role !== 'admin' || request.namespaces.length === 0, {
    path: ['namespaces'],
    error: 'admin tokens manage clusters and tokens for everyone, so they cannot be limited to namespaces',
  })
  .refine((request) => request.role !== 'admin' || request.clusters === undefined, {
    path: ['clusters'],
    error: 'admin tokens manage clusters and tokens for everyone, so they cannot be limited to clusters',
  })
  .refine((request) => request.role !== 'viewer' || request.clusters === undefined, {
    path: ['clusters'],
    error: 'viewer tokens place nothing on clusters, so a cluster scope would limit nothing',
  });
export type TokenRequest = z.input<typeof TokenRequest>;

export type TokenState = 'active' | 'expired' | 'revoked';

/** A token as the API shows it: never the hash, never the token. */
export interface TokenSummary {
  id: string;
  description: string;
  role: TokenRecord['role'];
  namespaces: string[];
  clusters: TokenClusterScope | undefined;
  createdAt: string;
  expiresAt: string | undefined;
  lastUsedAt: string | undefined;
  revokedAt: string | undefined;
  /** As of the listing: revoked wins over expired. */
  state: TokenState;
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
  if (request.clusters?.selector !== undefined) checkLabels(request.clusters.selector, 'clusters.selector');
  const expiry = expiryOf(request, now);
  if (!expiry.ok) throw new ValidationError([expiry.issue]);
  const minted = mintToken();
  const clusters = request.clusters === undefined ? undefined : clusterScopeOf(request.clusters);
  const record = await store.create({
    id: minted.id,
    hash: minted.hash,
    description: request.description,
    role: request.role,
    namespaces: request.namespaces,
    ...(clusters === undefined ? {} : { clusters }),
    createdAt: now.toISOString(),
    ...(expiry.expiresAt === undefined ? {} : { expiresAt: expiry.expiresAt }),
    version: 1,
  });
  return { token: minted.token, summary: summarizeToken(record, now) };
}

/** Only the parts given, names de-duplicated: what the scope check reads. */
function clusterScopeOf(request: { names?: string[] | undefined; selector?: Record<string, string> | undefined }): TokenClusterScope {
  const names = [...new Set(request.names ?? [])];
  const selector = request.selector ?? {};
  return { ...(names.length === 0 ? {} : { names }), ...(Object.keys(selector).length === 0 ? {} : { selector }) };
}

export async function listTokens(store: TokenStore, now: Date = new Date()): Promise<TokenSummary[]> {
  return (await store.list()).map((record) => summarizeToken(record, now));
}

/** Revoked tokens stay listed (with revokedAt) so that the record of who had access survives. */
export async function revokeToken(store: TokenStore, id: string, now: Date = new Date()): Promise<TokenSummary> {
  for (;;) {
    const record = await store.get(id);
    if (!record) throw new UnknownTokenError(id);
    if (record.revokedAt) return summarizeToken(record, now);
    try {
      return summarizeToken(await store.replace({ ...record, revokedAt: now.toISOString() }, record.version), now);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // changed meanwhile: read again
    }
  }
}

/** What a presented bearer token is: a live token (with its record), an expired one, or nothing Flotilla honours. */
export type TokenCheck =
  | { outcome: 'valid'; principal: Principal; record: TokenRecord }
  | { outcome: 'expired'; expiresAt: string }
  | { outcome: 'invalid' };

/**
 * Checks a presented token against the store. Junk, unknown, mismatched and revoked tokens are all `invalid`, so an
 * answer never tells them apart; only a token whose hash matches learns that it expired, and when.
 */
export async function verifyToken(store: TokenStore, presented: string, now: Date = new Date()): Promise<TokenCheck> {
  if (!looksLikeToken(presented)) return { outcome: 'invalid' };
  const hash = hashToken(presented);
  const record = await store.get(tokenIdOf(hash));
  if (!record || record.revokedAt || !sameHash(record.hash, hash)) return { outcome: 'invalid' };
  if (record.expiresAt !== undefined && isExpired(record.expiresAt, now)) return { outcome: 'expired', expiresAt: record.expiresAt };
  return { outcome: 'valid', principal: principalOf(record), record };
}

/** The principal behind a presented bearer token, or undefined for anything not a live token (HTTP 401). */
export async function authenticate(store: TokenStore, presented: string, now: Date = new Date()): Promise<Principal | undefined> {
  const check = await verifyToken(store, presented, now);
  return check.outcome === 'valid' ? check.principal : undefined;
}

/**
 * Records that the token was used at `now`, to the minute: no write while the stored `lastUsedAt` is fresher than
 * that, and the write itself is conditional, so concurrent requests write it once. Answers whether it wrote.
 */
export async function recordTokenUse(store: TokenStore, record: TokenRecord, now: Date): Promise<boolean> {
  if (!lastUseIsStale(record.lastUsedAt, now)) return false;
  return store.recordUse(record.id, now.toISOString(), staleBefore(now).toISOString());
}

function principalOf(record: TokenRecord): Principal {
  return { tokenId: record.id, role: record.role, namespaces: record.namespaces, ...(record.clusters === undefined ? {} : { clusters: record.clusters }) };
}

export function summarizeToken(record: TokenRecord, now: Date = new Date()): TokenSummary {
  return {
    id: record.id,
    description: record.description,
    role: record.role,
    namespaces: record.namespaces,
    clusters: record.clusters,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    lastUsedAt: record.lastUsedAt,
    revokedAt: record.revokedAt,
    state: record.revokedAt !== undefined ? 'revoked' : isExpired(record.expiresAt, now) ? 'expired' : 'active',
  };
}
