import type * as z from 'zod';

/** What a route answers; the adapter in functions/ turns it into the gateway's result shape. */
export interface ApiResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: `${JSON.stringify(value)}\n` };
}

export function textResponse(status: number, body: string, contentType: string): ApiResponse {
  return { status, headers: { 'content-type': contentType }, body };
}

/**
 * JSON shaped by the schema the OpenAPI document shows for it. Parsing drops fields the schema does not name, so a
 * field added to a record later cannot reach clients (credentials above all) without being documented first.
 */
export function schemaResponse<S extends z.ZodType>(status: number, schema: S, value: z.input<S>, headers: Record<string, string> = {}): ApiResponse {
  return jsonResponse(status, schema.parse(value), headers);
}
