// The local HTTP gateway speaks API Gateway HTTP API payload 2.0 to the handler, over a real loopback socket.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, test } from 'vitest';
import { serveHttpApi, type HttpApiHandler, type HttpGateway } from '../../../local/http-gateway.ts';

let gateway: HttpGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function serve(handler: HttpApiHandler): Promise<string> {
  gateway = await serveHttpApi(handler, { port: 0 });
  return gateway.url;
}

describe('local HTTP gateway', () => {
  test('turns a request into a payload 2.0 event and a structured result into the response', async () => {
    let seen: APIGatewayProxyEventV2 | undefined;
    const url = await serve(async (event) => {
      seen = event;
      return { statusCode: 202, headers: { 'x-flotilla': 'yes', 'content-type': 'application/json' }, body: '{"ok":true}' };
    });
    const res = await fetch(`${url}/apps/default/example-app?dry=1&x=a&x=b`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml', authorization: 'Bearer t', cookie: 'a=1; b=2' },
      body: 'kind: Application\n',
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-flotilla')).toBe('yes');
    expect(await res.json()).toEqual({ ok: true });
    expect(seen).toMatchObject({
      version: '2.0',
      rawPath: '/apps/default/example-app',
      rawQueryString: 'dry=1&x=a&x=b',
      queryStringParameters: { dry: '1', x: 'a,b' },
      cookies: ['a=1', 'b=2'],
      body: 'kind: Application\n',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/apps/default/example-app' }, stage: '$default' },
    });
    expect(seen?.headers.authorization).toBe('Bearer t');
  });

  test('base64-encodes binary bodies and answers a bare object as 200 JSON', async () => {
    let seen: APIGatewayProxyEventV2 | undefined;
    const url = await serve(async (event) => {
      seen = event;
      return { echoed: true } as never;
    });
    const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 255, 1]) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ echoed: true });
    expect(seen?.isBase64Encoded).toBe(true);
    expect(Buffer.from(seen?.body ?? '', 'base64')).toEqual(Buffer.from([0, 255, 1]));
  });

  test('refuses a body over API Gateway 10 MB limit with 413 before the handler runs', async () => {
    let calls = 0;
    const url = await serve(async () => {
      calls++;
      return { statusCode: 200 };
    });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(calls).toBe(0);
  });

  test('a failing handler gives a 500 without its error text, and close() lets the request in flight finish', async () => {
    const url = await serve(async (event) => {
      if (event.rawPath === '/fail') throw new Error('secret stack detail');
      await sleep(500);
      return { statusCode: 200, body: 'done' };
    });
    const failed = await fetch(`${url}/fail`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain('secret');

    const slow = fetch(`${url}/slow`);
    await sleep(100);
    const closing = gateway!.close();
    gateway = undefined;
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('done');
    await closing;
  });
});
