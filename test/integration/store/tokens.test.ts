import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/core/errors/validation-error.ts';
import { tokenKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { authenticate, createToken, listTokens, recordTokenUse, revokeToken, UnknownTokenError, verifyToken } from '../../../lib/engine/tokens/tokens.ts';
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

  it('expires a token at its expiresAt: verifyToken says so, authenticate refuses it, the listing shows it', async () => {
    const created = new Date('2026-11-01T00:00:00.000Z');
    const { token, summary } = await createToken(fixture.store.tokens, { role: 'deployer', expiresInDays: 30 }, created);
    expect(summary).toMatchObject({ expiresAt: '2026-12-01T00:00:00.000Z', state: 'active' });
    const before = new Date('2026-11-30T23:59:59.999Z');
    const at = new Date('2026-12-01T00:00:00.000Z');
    expect(await verifyToken(fixture.store.tokens, token, before)).toMatchObject({ outcome: 'valid', principal: { tokenId: summary.id } });
    expect(await verifyToken(fixture.store.tokens, token, at)).toEqual({ outcome: 'expired', expiresAt: '2026-12-01T00:00:00.000Z' });
    expect(await authenticate(fixture.store.tokens, token, at)).toBeUndefined();
    expect((await listTokens(fixture.store.tokens, at)).find((t) => t.id === summary.id)?.state).toBe('expired');
    // Revoked wins: a revoked token is simply invalid, expired or not.
    await revokeToken(fixture.store.tokens, summary.id, before);
    expect(await verifyToken(fixture.store.tokens, token, at)).toEqual({ outcome: 'invalid' });
  });

  it('records the last use with a conditional write: once a minute, without a version bump, never creating an item', async () => {
    const { token, summary } = await createToken(fixture.store.tokens, { role: 'viewer' });
    const use = async (at: string) => {
      const check = await verifyToken(fixture.store.tokens, token, new Date(at));
      if (check.outcome !== 'valid') throw new Error(check.outcome);
      return recordTokenUse(fixture.store.tokens, check.record, new Date(at));
    };
    expect(await use('2030-01-01T10:00:00.000Z')).toBe(true);
    expect(await fixture.store.tokens.get(summary.id)).toMatchObject({ lastUsedAt: '2030-01-01T10:00:00.000Z', version: 1 });
    expect(await use('2030-01-01T10:00:59.000Z')).toBe(false);
    expect(await use('2030-01-01T10:01:00.001Z')).toBe(true);
    expect(await fixture.store.tokens.get(summary.id)).toMatchObject({ lastUsedAt: '2030-01-01T10:01:00.001Z', version: 1 });
    // Two requests that both read a stale time: the condition lets the first write and refuses the second, which finds
    // it fresh. One after the other: moto's conditional writes are not atomic under concurrent requests, DynamoDB's are.
    const record = (await fixture.store.tokens.get(summary.id))!;
    const at = new Date('2030-01-01T10:05:00.000Z');
    const results = [await recordTokenUse(fixture.store.tokens, record, at), await recordTokenUse(fixture.store.tokens, record, at)];
    expect(results).toEqual([true, false]);
    expect(await fixture.store.tokens.recordUse('ffffffffffffffff', '2030-01-01T10:00:00.000Z', '2030-01-01T09:59:00.000Z')).toBe(false);
    expect(await fixture.store.tokens.get('ffffffffffffffff')).toBeUndefined();
    expect((await listTokens(fixture.store.tokens)).find((t) => t.id === summary.id)?.lastUsedAt).toBe('2030-01-01T10:05:00.000Z');
  });

  it('stores a cluster scope and hands it to the principal', async () => {
    const { token, summary } = await createToken(fixture.store.tokens, { role: 'deployer', clusters: { names: ['beijing-1', 'beijing-1'], selector: { tier: 'edge' } } });
    expect(summary.clusters).toEqual({ names: ['beijing-1'], selector: { tier: 'edge' } });
    expect(await authenticate(fixture.store.tokens, token)).toEqual({ tokenId: summary.id, role: 'deployer', namespaces: [], clusters: { names: ['beijing-1'], selector: { tier: 'edge' } } });
  });

  it.each([
    [{ role: 'deployer', expiresInDays: 0 }, /^expiresInDays: must be at least 1$/],
    [{ role: 'deployer', expiresInDays: 366 }, /^expiresInDays: must be at most 365$/],
    [{ role: 'deployer', expiresAt: 'tomorrow' }, /^expiresAt: must be an RFC 3339 date-time/],
    [{ role: 'deployer', expiresAt: '2020-01-01T00:00:00Z' }, /^expiresAt: must be in the future/],
    [{ role: 'admin', clusters: { names: ['beijing-1'] } }, /^clusters: admin tokens .* cannot be limited to clusters$/],
    [{ role: 'viewer', clusters: { names: ['beijing-1'] } }, /^clusters: viewer tokens place nothing/],
    [{ role: 'deployer', clusters: {} }, /^clusters: name clusters \(names\) or labels/],
    [{ role: 'deployer', clusters: { names: ['Beijing_1'] } }, /^clusters\.names\[0\]: cluster name must be a DNS-1123 label/],
    [{ role: 'deployer', clusters: { names: Array.from({ length: 101 }, (_, i) => `c-${i}`) } }, /^clusters\.names: must list at most 100 items$/],
    [{ role: 'deployer', clusters: { selector: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) } }, /^clusters\.selector: must have at most 20 labels, not 21$/],
    [{ role: 'deployer', clusters: { selector: { 'bad key!': 'v' } } }, /^clusters\.selector\["bad key!"\]: the key must be/],
  ])('refuses %j, storing nothing', async (input, message) => {
    const before = (await listTokens(fixture.store.tokens)).length;
    const refused = await createToken(fixture.store.tokens, input).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).message).toMatch(message);
    expect((await listTokens(fixture.store.tokens)).length).toBe(before);
  });
});
