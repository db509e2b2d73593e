import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorize, type Action, type Principal, type Role } from '../../../../lib/core/token/authorization.ts';
import { hashToken, looksLikeToken, mintToken, sameHash, tokenIdOf } from '../../../../lib/core/token/bearer-token.ts';

const principal = (role: Role, namespaces: string[] = []): Principal => ({ tokenId: '0123456789abcdef', role, namespaces });
const actions: Action[] = ['applications:read', 'applications:write', 'clusters:read', 'clusters:write', 'tokens:read', 'tokens:write'];

describe('authorize', () => {
  // role -> the actions it may take in a namespace it is not limited out of
  const expected: Record<Role, Action[]> = {
    admin: actions,
    deployer: ['applications:read', 'applications:write', 'clusters:read'],
    viewer: ['applications:read', 'clusters:read'],
  };

  it.each(Object.entries(expected))('%s may take exactly these actions', (role, allowed) => {
    for (const action of actions) {
      expect(authorize(principal(role as Role), action, 'default').allowed, `${role} ${action}`).toBe(allowed.includes(action));
    }
  });

  it('explains a refusal by role', () => {
    expect(authorize(principal('viewer'), 'applications:write', 'default')).toEqual({ allowed: false, reason: 'role viewer may not change applications' });
    expect(authorize(principal('deployer'), 'clusters:write')).toEqual({ allowed: false, reason: 'role deployer may not change clusters' });
    expect(authorize(principal('deployer'), 'tokens:read')).toEqual({ allowed: false, reason: 'role deployer may not read tokens' });
  });

  it('holds namespace-limited principals to their namespaces for applications', () => {
    const deployer = principal('deployer', ['team-a', 'team-b']);
    expect(authorize(deployer, 'applications:write', 'team-b')).toEqual({ allowed: true });
    expect(authorize(deployer, 'applications:write', 'default')).toEqual({
      allowed: false,
      reason: 'this token is limited to namespaces team-a, team-b, not default',
    });
    expect(authorize(deployer, 'applications:read')).toEqual({ allowed: false, reason: 'this token is limited to namespaces team-a, team-b; name one of them' });
    expect(authorize(principal('viewer', ['team-a']), 'applications:read', 'team-b').allowed).toBe(false);
  });

  it('lets namespace-limited principals read clusters, which are not namespaced', () => {
    expect(authorize(principal('viewer', ['team-a']), 'clusters:read')).toEqual({ allowed: true });
  });

  it('lets unlimited principals act across all namespaces', () => {
    expect(authorize(principal('viewer'), 'applications:read')).toEqual({ allowed: true });
  });

  it('never grants a viewer any write, whatever the namespace', () => {
    fc.assert(
      fc.property(fc.constantFrom(...actions), fc.option(fc.string()), fc.array(fc.string()), (action, namespace, namespaces) => {
        const decision = authorize(principal('viewer', namespaces), action, namespace ?? undefined);
        return !action.endsWith(':write') || !decision.allowed;
      }),
    );
  });
});

describe('bearer tokens', () => {
  it('are flt_ plus 32 random bytes, and only their hash and id derive from them', () => {
    const minted = mintToken();
    expect(minted.token).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(minted.token.slice(4), 'base64url')).toHaveLength(32);
    expect(minted.hash).toBe(hashToken(minted.token));
    expect(minted.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(minted.id).toBe(tokenIdOf(minted.hash));
    expect(minted.hash).not.toContain(minted.token.slice(4, 20));
    expect(mintToken().token).not.toBe(minted.token);
  });

  it('recognises the token shape before any lookup', () => {
    expect(looksLikeToken(mintToken().token)).toBe(true);
    for (const junk of ['', 'flt_', 'Bearer flt_x', `ghp_${'a'.repeat(43)}`, `flt_${'a'.repeat(42)}`, `flt_${'a'.repeat(42)}=`]) {
      expect(looksLikeToken(junk), junk).toBe(false);
    }
  });

  it('compares hashes in constant time and by value', () => {
    const { hash } = mintToken();
    expect(sameHash(hash, hash)).toBe(true);
    expect(sameHash(hash, mintToken().hash)).toBe(false);
    expect(sameHash(hash, hash.slice(0, 62))).toBe(false);
  });
});
