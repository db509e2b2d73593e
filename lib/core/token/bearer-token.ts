import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Recognisable in logs and by secret scanners, like GitHub's `ghp_`. */
export const tokenPrefix = 'flt_';
const tokenPattern = /^flt_[A-Za-z0-9_-]{43}$/;

export interface MintedToken {
  /** Shown to the user once; never stored. */
  token: string;
  /** SHA-256 of the token, hex: what the store keeps. */
  hash: string;
  /** The first 16 hex digits of the hash: the token's public handle for list and revoke. */
  id: string;
}

/** A new bearer token: `flt_` and 32 random bytes in base64url. */
export function mintToken(): MintedToken {
  const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
  const hash = hashToken(token);
  return { token, hash, id: tokenIdOf(hash) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenIdOf(hash: string): string {
  return hash.slice(0, 16);
}

/** Cheap shape check before any lookup, so junk never reaches the store. */
export function looksLikeToken(presented: string): boolean {
  return tokenPattern.test(presented);
}

export function sameHash(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a, 'hex'), Buffer.from(b, 'hex')];
  return left.length === right.length && timingSafeEqual(left, right);
}
