import { stringify } from 'yaml';
import type { ApplicationStatus } from './application-status.ts';
import { onlyService, renderStatusText, type StatusTextOptions } from './render-status-text.ts';

export type StatusFormat = 'text' | 'json' | 'yaml';

/**
 * The status for people (`text`, vela's layout) or for programs (`json`, `yaml`: the model itself, nothing added).
 * `svc` narrows every format; `now` and `colors` only concern the text.
 */
export function renderStatus(status: ApplicationStatus, format: StatusFormat, options: StatusTextOptions = {}): string {
  switch (format) {
    case 'text':
      return renderStatusText(status, options);
    case 'json':
      return `${JSON.stringify(onlyService(status, options.svc), null, 2)}\n`;
    case 'yaml':
      // No anchors and no folding, so the YAML reads back as exactly the JSON's data.
      return stringify(onlyService(status, options.svc), { aliasDuplicateObjects: false, lineWidth: 0 });
  }
}
