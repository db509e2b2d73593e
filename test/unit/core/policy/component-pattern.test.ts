import { describe, expect, it } from 'vitest';
import { compileComponentPattern } from '../../../../lib/core/policy/component-pattern.ts';

const matches = (pattern: string, name: string) => {
  const compiled = compileComponentPattern(pattern);
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled.test(name);
};

describe('component name patterns', () => {
  it.each([
    ['web', 'web', true],
    ['web', 'my-web-2', false],
    ['web', 'web-2', false],
    ['web-*', 'web-2', true],
    ['web-*', 'web-', true],
    ['web-*', 'api-web-2', false],
    ['*-api', 'orders-api', true],
    ['*', 'anything', true],
    ['web|api', 'api', true],
    ['web|api', 'web-api', false],
    ['(web|api)-v[0-9]+', 'api-v12', true],
    ['(web|api)-v[0-9]+', 'api-v', false],
    ['web.*', 'web-x', true],
    ['web.', 'webx', true],
  ])('%s against %s is %s (anchored, * meaning .*)', (pattern, name, expected) => {
    expect(matches(pattern, name)).toBe(expected);
  });

  it.each([
    ['(a)\\1', 'back-references and lookarounds are not allowed in a component name pattern'],
    ['(?=web)web', 'back-references and lookarounds are not allowed in a component name pattern'],
  ])('refuses %s, which Go regexp (RE2) does not have either', (pattern, reason) => {
    expect(compileComponentPattern(pattern)).toBe(reason);
  });

  it.each([['(a+)+b'], ['a*b*c*d*e*'], ['(a|aa)*c'], ['a|b|c|d|e|f']])('matches %s in linear time on a long name (RE2, no backtracking)', (pattern) => {
    const started = performance.now();
    expect(matches(pattern, 'a'.repeat(10_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses what is not a regular expression', () => {
    expect(compileComponentPattern('web[')).toMatch(/^not a valid regular expression: /);
  });

  it('matches in little time at the limit of its shape on the longest name', () => {
    const pattern = compileComponentPattern('*a*a*a*b');
    if (typeof pattern === 'string') throw new Error(pattern);
    const started = performance.now();
    expect(pattern.test('a'.repeat(63))).toBe(false);
    expect(performance.now() - started).toBeLessThan(250);
  });
});
