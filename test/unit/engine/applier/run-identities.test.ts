import { describe, expect, it } from 'vitest';
import { RunIdentities } from '../../../../lib/engine/applier/run-identities.ts';

const identity = { namespace: 'default', application: 'example-app', revision: 2 };

describe('RunIdentities', () => {
  it('knows nothing of a run nobody has read', () => {
    expect(new RunIdentities().lookup('run-1')).toBeUndefined();
  });

  it('lets lookups made while the first read is under way wait for it', async () => {
    const identities = new RunIdentities();
    const settle = identities.claim('run-1');
    const waiting = identities.lookup('run-1');
    expect(waiting).toBeDefined();
    settle(identity);
    await expect(waiting).resolves.toEqual(identity);
    await expect(identities.lookup('run-1')).resolves.toEqual(identity);
  });

  it('forgets a run that was not found, so the next order reads it again', async () => {
    const identities = new RunIdentities();
    const settle = identities.claim('run-1');
    const waiting = identities.lookup('run-1');
    settle(undefined);
    await expect(waiting).resolves.toBeUndefined();
    expect(identities.lookup('run-1')).toBeUndefined();
  });
});
