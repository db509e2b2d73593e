import { describe, expect, it } from 'vitest';
import { readGenericDelivery, genericSignature } from '../../../../integrations/webhooks/generic.ts';
import { signTimestamped, verifyTimestamped } from '../../../../integrations/webhooks/signature.ts';
import { request, sample } from './webhook-fixtures.ts';

const secret = Buffer.from('generic-secret-0123456789abcdef');
const now = new Date('2026-11-29T12:00:00Z');
const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

function signed(payload: unknown, at: Date = now, headers: Record<string, string> = {}) {
  const body = JSON.stringify(payload);
  const timestamp = seconds(at);
  return request({ 'x-flotilla-timestamp': timestamp, 'x-flotilla-signature': signTimestamped(genericSignature, secret, timestamp, body), ...headers }, body);
}

describe('generic webhook signatures', () => {
  it('verifies HMAC-SHA256 over "<timestamp>.<body>" within five minutes either way', () => {
    const body = sample('webhooks/generic/push.json');
    expect(verifyTimestamped(genericSignature, secret, signed(body), now)).toEqual({ ok: true });
    expect(verifyTimestamped(genericSignature, secret, signed(body, new Date(now.getTime() - 299_000)), now)).toEqual({ ok: true });
    expect(verifyTimestamped(genericSignature, secret, signed(body, new Date(now.getTime() + 299_000)), now)).toEqual({ ok: true });
    expect(verifyTimestamped(genericSignature, secret, signed(body, new Date(now.getTime() - 301_000)), now)).toMatchObject({
      ok: false,
      reason: 'the request timestamp is 301 s away from now; requests older than 300 s are refused as replays',
    });
  });

  it('refuses a missing signature or timestamp, another secret, and a timestamp that is not the signed one', () => {
    const good = signed(sample('webhooks/generic/push.json'));
    const without = (name: string) => request(Object.fromEntries(Object.entries(good.headers).filter(([key]) => key !== name)), good.body);
    expect(verifyTimestamped(genericSignature, secret, without('x-flotilla-signature'), now)).toEqual({ ok: false, reason: 'X-Flotilla-Signature is missing' });
    expect(verifyTimestamped(genericSignature, secret, without('x-flotilla-timestamp'), now)).toEqual({ ok: false, reason: 'the request timestamp header is missing' });
    expect(verifyTimestamped(genericSignature, Buffer.from('not the secret'), good, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match <timestamp>.<body>/) });
    const moved = request({ ...good.headers, 'x-flotilla-timestamp': String(Number(good.headers['x-flotilla-timestamp']) + 1) }, good.body);
    expect(verifyTimestamped(genericSignature, secret, moved, now)).toMatchObject({ ok: false });
    expect(verifyTimestamped(genericSignature, secret, request({ ...good.headers, 'x-flotilla-timestamp': 'yesterday' }, good.body), now)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a number/) });
  });
});

describe('generic webhook bodies', () => {
  it('reads push, tag and image events; the delivery id is X-Flotilla-Delivery or the signature', () => {
    expect(readGenericDelivery(signed(sample('webhooks/generic/push.json'), now, { 'x-flotilla-delivery': 'build-981' }))).toMatchObject({
      kind: 'event',
      event: { kind: 'push', deliveryId: 'build-981', subject: { branch: 'main', repository: 'codertocat/hello-world' }, variables: { shortSha: '6113728', branch: 'main' } },
    });
    const tag = readGenericDelivery(signed(sample('webhooks/generic/tag.json')));
    expect(tag).toMatchObject({ kind: 'event', event: { kind: 'tag', subject: { tag: 'v1.4.0' } } });
    expect(tag.kind === 'event' && tag.event.deliveryId).toMatch(/^[0-9a-f]{64}$/);
    expect(readGenericDelivery(signed(sample('webhooks/generic/image.json')))).toMatchObject({
      kind: 'event',
      event: { kind: 'image', subject: { tag: '1.4.0', repository: 'team-a/api' }, variables: { image: 'registry.example.com/team-a/api:1.4.0' } },
    });
  });

  it('refuses bodies that are not one of its events, with every problem', () => {
    expect(() => readGenericDelivery(signed({ event: 'push', branch: 'main' }))).toThrow(/sha: is required/);
    expect(() => readGenericDelivery(signed({ event: 'deploy' }))).toThrow(/event/);
    expect(() => readGenericDelivery(signed({ event: 'tag', tag: 'v1', extra: true }))).toThrow(/extra: unknown field/);
  });
});
