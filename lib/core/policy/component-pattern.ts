import { RE2JS } from 're2js';
import { errorMessage } from '../errors/error-message.ts';

/** A compiled component name pattern: `test` is true when the whole name matches. */
export interface ComponentPattern {
  test(name: string): boolean;
}

/**
 * The `name` of an override entry is a regular expression over component names, with `*` standing for `.*` as in
 * KubeVela ≥ 1.4. Flotilla anchors it (the whole name must match), where KubeVela's unanchored match lets `web` also
 * patch `my-web-2`. Returns the compiled pattern, or why the name is not acceptable.
 *
 * KubeVela runs Go's linear-time regexp engine; so does Flotilla, through re2js (a pure-JavaScript port of RE2, the
 * engine Go's regexp follows, so it reads the same syntax): matching takes time linear in the name whatever the
 * pattern, so `(a+)+b` is as harmless here as in KubeVela. Like Go, RE2 has no back-references or lookarounds.
 */
export function compileComponentPattern(name: string): ComponentPattern | string {
  let compiled = compiledPatterns.get(name);
  if (compiled === undefined) {
    if (compiledPatterns.size >= 1000) compiledPatterns.clear();
    compiled = compilePattern(name);
    compiledPatterns.set(name, compiled);
  }
  return compiled;
}

// Checking and planning look at each entry once per deploy step: compile each pattern once (bounded, pure).
const compiledPatterns = new Map<string, ComponentPattern | string>();

function compilePattern(name: string): ComponentPattern | string {
  const source = name.replaceAll('*', '.*');
  if (/\\[1-9k]|\(\?[=!<]/.test(source)) return 'back-references and lookarounds are not allowed in a component name pattern';
  try {
    const compiled = RE2JS.compile(source);
    return { test: (candidate) => compiled.testExact(candidate) };
  } catch (error) {
    return `not a valid regular expression: ${errorMessage(error)}`;
  }
}
