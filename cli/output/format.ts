import { stringify } from 'yaml';

export type DataFormat = 'yaml' | 'json';

/** Machine-readable output: pretty JSON, or YAML with no anchors, so both read back as the same data. */
export function formatData(value: unknown, format: DataFormat): string {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
}
