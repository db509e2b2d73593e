// The trigger items on both DynamoDB implementations the store runs on (moto like AWS, dynalite for npm start):
// delivery claims are won once, expire through their `ttl` without DynamoDB's help, and can be given up; a signature
// is remembered once within its window; a submit `basedOn` a revision that is no longer current is refused.
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../lib/engine/ports/conflict-error.ts';
import { dynamoBackends, useStoreOn } from '../store/backends.ts';
import { twoComponentApp } from './trigger-harness.ts';
import { Application } from '../../../lib/core/application/application.ts';

const at = (iso: string) => new Date(iso);

describe.each(dynamoBackends)('trigger items on $name', ({ open }) => {
  const fixture = useStoreOn(open);

  it('claim a delivery once, however many claim it at the same moment; the winner records the outcome', async () => {
    const { deliveries } = fixture.store;
    const now = at('2026-11-29T12:00:00Z');
    const claims = await Promise.all(Array.from({ length: 6 }, () => deliveries.claim('0123456789abcdef0123', 'delivery-1', now, 120)));
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    for (const lost of claims.filter((claim) => !claim.claimed)) expect(lost).toMatchObject({ existing: { state: 'processing', deliveryId: 'delivery-1' } });

    await deliveries.complete(
      { triggerId: '0123456789abcdef0123', deliveryId: 'delivery-1', receivedAt: now.toISOString(), outcome: 'deployed', revision: 'shop-v2', revisionNumber: 2, image: 'a:b' },
      now,
      7 * 24 * 3600,
    );
    expect(await deliveries.claim('0123456789abcdef0123', 'delivery-1', at('2026-12-05T12:00:00Z'), 120)).toMatchObject({ claimed: false, existing: { state: 'done', revision: 'shop-v2' } });
    // A week and a second later the record has expired: gone for reads, free to claim, DynamoDB's TTL or not.
    const later = at('2026-12-06T12:00:01Z');
    expect(await deliveries.get('0123456789abcdef0123', 'delivery-1', later)).toBeUndefined();
    expect(await deliveries.claim('0123456789abcdef0123', 'delivery-1', later, 120)).toEqual({ claimed: true });
  });

  it('give a claim up after a failure, so the retry is processed; a finished delivery is not given up', async () => {
    const { deliveries } = fixture.store;
    const now = at('2026-11-29T12:00:00Z');
    expect(await deliveries.claim('0123456789abcdef0123', 'delivery-2', now, 120)).toEqual({ claimed: true });
    await deliveries.release('0123456789abcdef0123', 'delivery-2');
    expect(await deliveries.claim('0123456789abcdef0123', 'delivery-2', now, 120)).toEqual({ claimed: true });
    await deliveries.complete({ triggerId: '0123456789abcdef0123', deliveryId: 'delivery-2', receivedAt: now.toISOString(), outcome: 'unchanged', revision: 'shop-v1', revisionNumber: 1, image: 'a:b' }, now, 60);
    await deliveries.release('0123456789abcdef0123', 'delivery-2');
    expect(await deliveries.get('0123456789abcdef0123', 'delivery-2', now)).toMatchObject({ state: 'done', outcome: 'unchanged' });
    // A claimant that crashed holds the delivery only until its hold runs out.
    expect(await deliveries.claim('0123456789abcdef0123', 'delivery-3', now, 120)).toEqual({ claimed: true });
    expect((await deliveries.claim('0123456789abcdef0123', 'delivery-3', at('2026-11-29T12:01:00Z'), 120)).claimed).toBe(false);
    expect(await deliveries.claim('0123456789abcdef0123', 'delivery-3', at('2026-11-29T12:02:01Z'), 120)).toEqual({ claimed: true });
  });

  it('remember a signature once until it expires', async () => {
    const { deliveries } = fixture.store;
    const now = at('2026-11-29T12:00:00Z');
    const expires = at('2026-11-29T12:10:00Z');
    const signature = 'ab'.repeat(32);
    expect(await deliveries.rememberSignature('slack', signature, now, expires)).toBe(true);
    expect(await deliveries.rememberSignature('slack', signature, at('2026-11-29T12:09:59Z'), expires)).toBe(false);
    expect(await deliveries.rememberSignature('generic#0123456789abcdef0123', signature, now, expires)).toBe(true);
    expect(await deliveries.rememberSignature('slack', signature, at('2026-11-29T12:10:01Z'), at('2026-11-29T12:20:00Z'))).toBe(true);
  });

  it('refuse a submit based on a revision that is no longer current', async () => {
    const { applications } = fixture.store;
    const document = twoComponentApp('basedon');
    expect((await applications.submit(Application.parse(document), new Date(), { basedOn: 0 })).revision.revision).toBe(1);
    const changed = structuredClone(document);
    changed.spec.components[0]!.properties.image = 'ghcr.io/codertocat/hello-world:two';
    expect((await applications.submit(Application.parse(changed), new Date(), { basedOn: 1 })).revision.revision).toBe(2);
    const stale = structuredClone(document);
    stale.spec.components[1]!.properties.image = 'ghcr.io/codertocat/web:stale';
    await expect(applications.submit(Application.parse(stale), new Date(), { basedOn: 1 })).rejects.toSatisfy((err) => err instanceof ConflictError && err.reason === 'changed');
    expect((await applications.get('basedon', 'shop'))?.currentRevision).toBe(2);
  });
});
