import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ApiError } from '../../../api/api-error.ts';
import type { ApiRequest } from '../../../api/api-request.ts';
import { applicationBody, jsonBody, readBody } from '../../../api/request-body.ts';
import { ValidationError } from '../../../lib/core/errors/validation-error.ts';

const basicYaml = await readFile(new URL('../../fixtures/seed/basic.yaml', import.meta.url), 'utf8');

function request(body: string | Buffer | undefined, contentType?: string): ApiRequest {
  return {
    method: 'POST',
    path: '/',
    query: {},
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    baseUrl: 'http://localhost',
    requestId: 'r',
  };
}

function refusal(read: () => unknown): ApiError | ValidationError {
  try {
    read();
  } catch (err) {
    if (err instanceof ApiError || err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const Labels = z.strictObject({ labels: z.record(z.string(), z.string()) });

describe('reading request bodies', () => {
  it('reads an Application from YAML and from JSON, chosen by Content-Type', () => {
    const fromYaml = readBody(request(basicYaml, 'application/yaml'), applicationBody, 1 << 20);
    expect(fromYaml.metadata).toEqual({ name: 'example-app', namespace: 'default' });
    const fromJson = readBody(request(JSON.stringify(fromYaml), 'application/json; charset=utf-8'), applicationBody, 1 << 20);
    expect(fromJson).toEqual(fromYaml);
    expect(readBody(request(basicYaml, 'application/x-yaml'), applicationBody, 1 << 20)).toEqual(fromYaml);
  });

  it('refuses a body over the limit before reading it', () => {
    const error = refusal(() => readBody(request('x'.repeat(101), 'text/plain'), applicationBody, 100));
    expect(error).toMatchObject({ code: 'payload_too_large', status: 413, message: 'the request body is 101 bytes; the limit is 100 bytes' });
  });

  it('counts bytes, not characters', () => {
    expect(refusal(() => readBody(request('é'.repeat(60), 'application/json'), jsonBody(Labels), 100))).toMatchObject({ code: 'payload_too_large' });
  });

  it('refuses other media types with 415, naming what it takes', () => {
    expect(refusal(() => readBody(request('{}', 'text/plain'), jsonBody(Labels), 100))).toMatchObject({
      code: 'unsupported_media_type',
      message: 'Content-Type text/plain is not accepted here; send application/json',
    });
    expect(refusal(() => readBody(request('{}'), jsonBody(Labels), 100))).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('wants a body', () => {
    const error = refusal(() => readBody(request(undefined, 'application/json'), jsonBody(Labels), 100));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('a request body is required (application/json)');
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(refusal(() => readBody(request(Buffer.from([0x7b, 0xff, 0x7d]), 'application/json'), jsonBody(Labels), 100)).message).toBe('the request body is not UTF-8 text');
  });

  it('checks JSON against the schema, every problem with its path', () => {
    const error = refusal(() => readBody(request('{"labels": {"a": 1}, "extra": true}', 'application/json'), jsonBody(Labels), 100));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([
      { path: 'labels.a', message: 'expected a string' },
      { path: 'extra', message: 'unknown field' },
    ]);
  });

  it('refuses JSON a server should not read: __proto__ keys', () => {
    expect(refusal(() => readBody(request('{"labels": {}, "__proto__": {"x": 1}}', 'application/json'), jsonBody(Labels), 100)).message).toContain('__proto__');
  });
});
