import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { expect, test } from 'vitest';
import { handler, isBearerToken } from '../../infra/gateway-authorizer.ts';
import { mintToken } from '../../lib/core/token/bearer-token.ts';

const { token } = mintToken();

test('a Flotilla bearer token passes, whatever the case of the scheme', () => {
  expect(isBearerToken(`Bearer ${token}`)).toBe(true);
  expect(isBearerToken(`bearer ${token}`)).toBe(true);
});

test.each([
  ['no header', undefined],
  ['another scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
  ['the token without the scheme', token],
  ['a token of another shape', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
  ['a truncated token', `Bearer ${token.slice(0, -1)}`],
  ['two tokens', `Bearer ${token} ${token}`],
])('refused: %s', (_case, header) => {
  expect(isBearerToken(header)).toBe(false);
});

function event(authorization: string): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/GET/clusters',
    identitySource: [authorization],
    routeKey: 'ANY /{proxy+}',
    rawPath: '/clusters',
    rawQueryString: '',
    cookies: [],
    headers: { authorization },
    queryStringParameters: {},
    requestContext: {} as APIGatewayRequestAuthorizerEventV2['requestContext'],
    pathParameters: { proxy: 'clusters' },
    stageVariables: {},
  };
}

test('the handler answers in the simple-response format', async () => {
  await expect(handler(event(`Bearer ${token}`))).resolves.toEqual({ isAuthorized: true });
  await expect(handler(event('Bearer nope'))).resolves.toEqual({ isAuthorized: false });
});
