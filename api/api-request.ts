/**
 * An HTTP request as the API sees it, whatever carried it: API Gateway's HTTP API on AWS, the local gateway, a test.
 * The adapter in functions/ builds it, so nothing under lib/ knows about Lambda event shapes.
 */
export interface ApiRequest {
  /** Upper case: `GET`, `POST`, ... */
  method: string;
  /** The path as sent, still percent-encoded: `/namespaces/default/applications/example-app`. */
  path: string;
  /** Query parameters; a repeated parameter arrives joined with commas, as API Gateway joins them. */
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body bytes (already base64-decoded), so size limits count what the client sent. */
  body: Buffer | undefined;
  /** Scheme and authority the client used (`https://abc.execute-api.eu-west-1.amazonaws.com`), for URLs in responses. */
  baseUrl: string;
  /** The gateway's request id: quoted in 500 answers and log lines so the two can be matched. */
  requestId: string;
}

/** A header's value by case-insensitive name. */
export function headerOf(request: ApiRequest, name: string): string | undefined {
  return request.headers[name.toLowerCase()];
}

/** `application/json; charset=utf-8` -> `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType === '' ? undefined : mediaType;
}
