import { UsageError } from './usage-error.ts';

/**
 * `k=v,k2=v2`, as `vela cluster labels add` and `cluster join --labels` take them. Values may be empty (`k=`) and may
 * hold `=`; keys may not be empty; a key given twice is a mistake rather than a silent last-one-wins.
 */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of splitList(text, 'labels')) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError(`label "${entry}" must be key=value`);
    const key = entry.slice(0, at).trim();
    if (key === '') throw new UsageError(`label "${entry}" has an empty key`);
    if (Object.hasOwn(labels, key)) throw new UsageError(`label ${key} is given twice`);
    labels[key] = entry.slice(at + 1).trim();
  }
  return labels;
}

/** `k1,k2`, as `vela cluster labels del` takes them. */
export function parseLabelKeys(text: string): string[] {
  const keys = splitList(text, 'label keys');
  const bad = keys.find((key) => key.includes('='));
  if (bad !== undefined) throw new UsageError(`"${bad}" is not a label key: give keys only, e.g. ${bad.slice(0, bad.indexOf('='))}`);
  return [...new Set(keys)];
}

function splitList(text: string, what: string): string[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) throw new UsageError(`${what} must be separated by single commas, with no empty entry: "${text}"`);
  return entries;
}

/** Labels one per line, `key=value`, sorted by key: what vela prints after changing them. */
export function labelLines(labels: Readonly<Record<string, string>>, paint: { key: (t: string) => string; value: (t: string) => string }): string[] {
  return Object.keys(labels)
    .sort()
    .map((key) => `${paint.key(key)}=${paint.value(labels[key] ?? '')}`);
}
