import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/core/errors/validation-error.ts';
import { tokenKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { authenticate, createToken, listTokens, revokeToken, UnknownTokenError } from '../../../lib/engine/tokens/tokens.ts';
import { dynamoBackends, useStoreOn } from './backends.ts';

describe.each(dynamoBackends)('tokens on $name', ({ open }) => {
  const fixture = useStoreOn(open);

  it('creates a token, stores only its hash, and authenticates it', async () => {
    const { token, summary } = await createToken(fixture.store.tokens, { role: 'deployer', description: 'ci', namespaces: ['team-a'] });
    expect(summary).toMatchObject({ role: 'deployer', description: 'ci', namespaces: ['team-a'], revokedAt: undefined });
    const { Item: item } = await fixture.backend.client.send(
      new GetItemCommand({ TableName: fixture.backend.tableName, Key: { pk: { S: tokenKey(summary.id).pk }, sk: { S: tokenKey(summary.id).sk } } }),
    );
    expect(JSON.stringify(item)).not.toContain(token.slice(4));
    expect(await authenticate(fixture.store.tokens, token)).toEqual({ tokenId: summary.id, role: 'deployer', namespaces: ['team-a'] });
  });

  it('authenticates nothing for junk, unknown tokens or a token differing in one character', async () => {
    const { token } = await createToken(fixture.store.tokens, { role: 'viewer' });
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const presented of ['', 'flt_nope', flipped, `flt_${'x'.repeat(43)}`]) {
      expect(await authenticate(fixture.store.tokens, presented)).toBeUndefined();
    }
  });

  it('refuses admin tokens limited to namespaces and bad namespace names', async () => {
    await expect(createToken(fixture.store.tokens, { role: 'admin', namespaces: ['team-a'] })).rejects.toThrow(ValidationError);
    await expect(createToken(fixture.store.tokens, { role: 'deployer', namespaces: ['Team_A'] })).rejects.toThrow(/namespaces\[0\]: must be a namespace name/);
    await expect(createToken(fixture.store.tokens, { role: 'owner' })).rejects.toThrow(/role/);
  });

  it('revokes a token: it no longer authenticates and stays listed with revokedAt', async () => {
    const { token, summary } = await createToken(fixture.store.tokens, { role: 'admin', description: 'first admin' });
    const revoked = await revokeToken(fixture.store.tokens, summary.id, new Date('2026-11-29T12:00:00.000Z'));
    expect(revoked.revokedAt).toBe('2026-11-29T12:00:00.000Z');
    expect(await revokeToken(fixture.store.tokens, summary.id)).toEqual(revoked);
    expect(await authenticate(fixture.store.tokens, token)).toBeUndefined();
    const listed = await listTokens(fixture.store.tokens);
    expect(listed.find((t) => t.id === summary.id)?.revokedAt).toBe('2026-11-29T12:00:00.000Z');
    expect(JSON.stringify(listed)).not.toMatch(/hash|flt_/);
    await expect(revokeToken(fixture.store.tokens, 'ffffffffffffffff')).rejects.toThrow(UnknownTokenError);
  });
});
