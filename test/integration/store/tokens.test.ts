import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors/validation-error.ts';
import { tokenKey } from '../../../lib/store/keys.ts';
import { createStore, type Store } from '../../../lib/store/store.ts';
import { authenticate, createToken, listTokens, revokeToken, UnknownTokenError } from '../../../lib/tokens/tokens.ts';
import { dynamoBackends, type DynamoBackend } from './backends.ts';

describe.each(dynamoBackends)('tokens on $name', ({ open }) => {
  let backend: DynamoBackend;
  let store: Store;

  beforeAll(async () => {
    backend = await open();
    store = createStore(backend.client, backend.tableName);
  });
  afterAll(async () => backend?.close());

  it('creates a token, stores only its hash, and authenticates it', async () => {
    const { token, summary } = await createToken(store.tokens, { role: 'deployer', description: 'ci', namespaces: ['team-a'] });
    expect(summary).toMatchObject({ role: 'deployer', description: 'ci', namespaces: ['team-a'], revokedAt: undefined });
    const { Item: item } = await backend.client.send(
      new GetItemCommand({ TableName: backend.tableName, Key: { pk: { S: tokenKey(summary.id).pk }, sk: { S: tokenKey(summary.id).sk } } }),
    );
    expect(JSON.stringify(item)).not.toContain(token.slice(4));
    expect(await authenticate(store.tokens, token)).toEqual({ tokenId: summary.id, role: 'deployer', namespaces: ['team-a'] });
  });

  it('authenticates nothing for junk, unknown tokens or a token differing in one character', async () => {
    const { token } = await createToken(store.tokens, { role: 'viewer' });
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const presented of ['', 'flt_nope', flipped, `flt_${'x'.repeat(43)}`]) {
      expect(await authenticate(store.tokens, presented)).toBeUndefined();
    }
  });

  it('refuses admin tokens limited to namespaces and bad namespace names', async () => {
    await expect(createToken(store.tokens, { role: 'admin', namespaces: ['team-a'] })).rejects.toThrow(ValidationError);
    await expect(createToken(store.tokens, { role: 'deployer', namespaces: ['Team_A'] })).rejects.toThrow(/namespaces\[0\]: must be a namespace name/);
    await expect(createToken(store.tokens, { role: 'owner' })).rejects.toThrow(/role/);
  });

  it('revokes a token: it no longer authenticates and stays listed with revokedAt', async () => {
    const { token, summary } = await createToken(store.tokens, { role: 'admin', description: 'first admin' });
    const revoked = await revokeToken(store.tokens, summary.id, new Date('2026-11-29T12:00:00.000Z'));
    expect(revoked.revokedAt).toBe('2026-11-29T12:00:00.000Z');
    expect(await revokeToken(store.tokens, summary.id)).toEqual(revoked);
    expect(await authenticate(store.tokens, token)).toBeUndefined();
    const listed = await listTokens(store.tokens);
    expect(listed.find((t) => t.id === summary.id)?.revokedAt).toBe('2026-11-29T12:00:00.000Z');
    expect(JSON.stringify(listed)).not.toMatch(/hash|flt_/);
    await expect(revokeToken(store.tokens, 'ffffffffffffffff')).rejects.toThrow(UnknownTokenError);
  });
});
