import { UsageError } from './usage-error.ts';

/** `team-a,team-b`, as `cluster namespaces` and `cluster join --creatable-namespaces` take them; the API checks each name. */
export function parseNamespaceList(text: string): string[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) throw new UsageError(`namespaces must be separated by single commas, with no empty entry: "${text}"`);
  return entries;
}
