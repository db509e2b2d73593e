// The only place that knows API Gateway's HTTP API payload 2.0: events become ApiRequests, ApiResponses become results.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiRequest } from '../../api/api-request.ts';
import type { ApiResponse } from '../../api/api-response.ts';

export function requestFromEvent(event: APIGatewayProxyEventV2): ApiRequest {
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {})
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
  const query = Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const { stage, domainName } = event.requestContext;
  // A named stage prefixes every path (`/prod/clusters`); the routes are written without it, URLs handed out need it.
  const stagePrefix = stage === '$default' || stage === undefined ? '' : `/${stage}`;
  const path = stagePrefix !== '' && event.rawPath.startsWith(`${stagePrefix}/`) ? event.rawPath.slice(stagePrefix.length) : event.rawPath;
  // API Gateway always says https here; the local gateway serves plain http and sets no such header.
  const scheme = headers['x-forwarded-proto'] ?? 'http';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path,
    query,
    headers,
    body: event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
    baseUrl: `${scheme}://${headers.host ?? domainName}${stagePrefix}`,
    requestId: event.requestContext.requestId,
  };
}

export function resultFromResponse(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: false };
}
