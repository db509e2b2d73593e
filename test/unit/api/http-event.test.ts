import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { requestFromEvent, resultFromResponse } from '../../../functions/shared/http-event.ts';

function event(overrides: Partial<APIGatewayProxyEventV2> & { stage?: string; method?: string } = {}): APIGatewayProxyEventV2 {
  const { stage = '$default', method = 'GET', ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/clusters',
    rawQueryString: '',
    headers: { Host: 'abc.execute-api.eu-west-1.amazonaws.com', 'X-Forwarded-Proto': 'https', Authorization: 'Bearer t' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '1',
      apiId: 'abc',
      domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc',
      http: { method, path: '/clusters', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage,
      time: '',
      timeEpoch: 0,
    },
    ...rest,
  };
}

describe('API Gateway HTTP API events', () => {
  it('lower-cases header names, keeps the query, and builds the base URL from scheme and host', () => {
    const request = requestFromEvent(event({ queryStringParameters: { keys: 'a,b' }, method: 'delete' }));
    expect(request).toMatchObject({
      method: 'DELETE',
      path: '/clusters',
      query: { keys: 'a,b' },
      headers: { host: 'abc.execute-api.eu-west-1.amazonaws.com', authorization: 'Bearer t' },
      baseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com',
      requestId: 'request-1',
      body: undefined,
    });
  });

  it('strips a named stage from the path and keeps it in the base URL', () => {
    const request = requestFromEvent(event({ stage: 'prod', rawPath: '/prod/clusters/beijing-1' }));
    expect(request.path).toBe('/clusters/beijing-1');
    expect(request.baseUrl).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/prod');
  });

  it('decodes base64 bodies to their bytes and takes text bodies as UTF-8', () => {
    expect(requestFromEvent(event({ body: Buffer.from([0xff, 0x00]).toString('base64'), isBase64Encoded: true })).body).toEqual(Buffer.from([0xff, 0x00]));
    expect(requestFromEvent(event({ body: 'kind: Application ✓' })).body?.toString('utf8')).toBe('kind: Application ✓');
  });

  it('falls back to http and the domain name without a forwarded scheme or host, as the local gateway sends', () => {
    const request = requestFromEvent(event({ headers: {} }));
    expect(request.baseUrl).toBe('http://abc.execute-api.eu-west-1.amazonaws.com');
  });

  it('turns a response into a structured result', () => {
    expect(resultFromResponse({ status: 404, headers: { 'content-type': 'application/json' }, body: '{}' })).toEqual({
      statusCode: 404,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      isBase64Encoded: false,
    });
  });
});
