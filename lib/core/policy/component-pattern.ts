import { errorMessage } from '../errors/error-message.ts';

/** How many repetitions and alternatives a name pattern may hold; see compileComponentPattern. */
export const MAX_PATTERN_CHOICES = 4;

/**
 * The `name` of an override entry is a regular expression over component names, with `*` standing for `.*` as in
 * KubeVela ≥ 1.4. Flotilla anchors it (the whole name must match), where KubeVela's unanchored match lets `web` also
 * patch `my-web-2`. Returns the compiled pattern, or why the name is not acceptable.
 *
 * KubeVela runs Go's linear-time regexp engine; JavaScript's backtracks, so a pattern such as `(a+)+b` could stall the
 * API on a 63-character name. Patterns are limited to shapes whose worst case stays small: no repeated groups, no
 * back-references or lookarounds, and at most MAX_PATTERN_CHOICES repetitions and alternatives together
 * (`web-*`, `*-api`, `web|api`, `(web|api)-v[0-9]+` all fit).
 */
export function compileComponentPattern(name: string): RegExp | string {
  const source = name.replaceAll('*', '.*');
  if (/\)[+?{]/.test(source)) return 'a group cannot be repeated in a component name pattern';
  if (/\\[1-9k]|\(\?[=!<]/.test(source)) return 'back-references and lookarounds are not allowed in a component name pattern';
  const choices = source.match(/(?<!\\)[*+{|]|(?<![\\(])\?/g)?.length ?? 0;
  if (choices > MAX_PATTERN_CHOICES) {
    return `a component name pattern can hold at most ${MAX_PATTERN_CHOICES} repetitions and alternatives (each *, +, ?, {} and | counts)`;
  }
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (error) {
    return `not a valid regular expression: ${errorMessage(error)}`;
  }
}
