import { InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { parseDuration } from './durations.ts';
import { parseLabelKeys, parseLabels } from './labels.ts';
import { UsageError } from './usage-error.ts';
import { parseNamespaceList } from './namespace-list.ts';

/** `-o json|yaml`: print the data only. */
export function outputOption(what: string) {
  return new Option('-o, --output <format>', `print ${what} as data (json or yaml) instead of the table or text`).choices(['json', 'yaml'] as const);
}

export function namespaceOption(description = "the application's namespace (default: $FLOTILLA_NAMESPACE, else the namespace saved by flotilla login, else default)") {
  return new Option('-n, --namespace <namespace>', description);
}

/** Turns the parser's UsageError into commander's, so a malformed value is reported as a usage error (exit 2). */
function asArgument<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      if (err instanceof UsageError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  };
}

export const durationArgument = asArgument(parseDuration);
export const labelsArgument = asArgument(parseLabels);
export const labelKeysArgument = asArgument(parseLabelKeys);
export const namespaceListArgument = asArgument(parseNamespaceList);

/** `--timeout` of the commands that can `--wait`, in milliseconds. */
export function timeoutOption() {
  return new Option('--timeout <duration>', 'how long --wait waits, e.g. 90s, 5m').default(300_000, '5m').argParser(durationArgument);
}

/** `--poll-interval` of the commands that can `--wait`, in milliseconds. */
export function pollIntervalOption() {
  return new Option('--poll-interval <duration>', 'how often --wait reads the status').default(1000, '1s').argParser(durationArgument);
}

/** The `Examples:` block every command's --help ends with. */
export function examples(...lines: [command: string, note?: string][]): string {
  return `\nExamples:\n${lines.map(([command, note]) => `${note === undefined ? '' : `  # ${note}\n`}  $ ${command}\n`).join('')}`;
}
