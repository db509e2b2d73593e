import { describe, expect, it } from 'vitest';
import { preferredMediaType } from '../../../api/content-negotiation.ts';

const offered = ['application/json', 'text/plain', 'application/yaml'] as const;

describe('preferredMediaType', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['text/plain', 'text/plain'],
    ['application/yaml', 'application/yaml'],
    ['*/*', 'application/json'],
    ['text/*', 'text/plain'],
    ['text/html, text/plain;q=0.5', 'text/plain'],
    ['application/json;q=0.2, text/plain;q=0.9', 'text/plain'],
    ['text/plain;q=0, application/yaml', 'application/yaml'],
    ['TEXT/PLAIN', 'text/plain'],
    ['image/png', 'application/json'],
    ['application/yaml, text/plain', 'application/yaml'],
  ])('Accept %j gives %s', (accept, expected) => {
    expect(preferredMediaType(accept, offered)).toBe(expected);
  });
});
