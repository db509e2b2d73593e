import type * as z from 'zod';
import { Application } from '../lib/core/application/application.ts';
import { parseApplication } from '../lib/core/admission/parse-application.ts';
import { parseDocument } from '../lib/core/application/parse-document.ts';
import { ValidationError } from '../lib/core/errors/validation-error.ts';
import { parseWith } from '../lib/core/errors/zod-issues.ts';
import { headerOf, mediaTypeOf, type ApiRequest } from './api-request.ts';
import { ApiError } from './api-error.ts';

/** How a route reads its body: which media types it takes, the schema the OpenAPI document shows, and the parser. */
export interface BodyReader<T> {
  mediaTypes: readonly string[];
  schema: z.ZodType;
  /** Throws ValidationError with every problem. */
  read(text: string, mediaType: string): T;
}

/** A JSON object checked against `schema`; the JSON reader refuses deep nesting and `__proto__` keys. */
export function jsonBody<S extends z.ZodType>(schema: S): BodyReader<z.output<S>> {
  return {
    mediaTypes: ['application/json'],
    schema,
    read: (text) => parseWith(schema, parseDocument(text, 'json'), ''),
  };
}

/**
 * An Application in YAML or JSON, chosen by Content-Type. `application/x-yaml` and `text/yaml` are the deprecated
 * aliases RFC 9512 lists for application/yaml; curl users still send them.
 */
export const applicationBody: BodyReader<Application> = {
  mediaTypes: ['application/yaml', 'application/json', 'application/x-yaml', 'text/yaml'],
  schema: Application,
  read: (text, mediaType) => parseApplication(text, mediaType === 'application/json' ? 'json' : 'yaml'),
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Size first (413), then presence (400), media type (415), encoding (400) and content (400). */
export function readBody<T>(request: ApiRequest, reader: BodyReader<T>, maxBodyBytes: number): T {
  const body = request.body;
  if (body !== undefined && body.length > maxBodyBytes) {
    throw new ApiError('payload_too_large', `the request body is ${body.length} bytes; the limit is ${maxBodyBytes} bytes`);
  }
  const accepted = reader.mediaTypes.join(' or ');
  if (body === undefined || body.length === 0) throw ValidationError.single('', `a request body is required (${accepted})`);
  const mediaType = mediaTypeOf(headerOf(request, 'content-type'));
  if (mediaType === undefined || !reader.mediaTypes.includes(mediaType)) {
    throw new ApiError('unsupported_media_type', `Content-Type ${mediaType ?? '(none)'} is not accepted here; send ${accepted}`);
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw ValidationError.single('', 'the request body is not UTF-8 text');
  }
  return reader.read(text, mediaType);
}
