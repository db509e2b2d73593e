import { describe, expect, it } from 'vitest';
import type { ApplicationStatus } from '../../../../lib/core/status/application-status.ts';
import { renderStatusText } from '../../../../lib/core/status/render-status-text.ts';

const deleting: ApplicationStatus = {
  about: { name: 'example-app', namespace: 'default', createdAt: '2026-11-29T10:00:00.000Z', status: 'deleting' },
  services: [],
  cleanup: [{ cluster: 'us-west-1', revision: 2, message: 'cannot remove 3 objects of revision 2 from cluster us-west-1: connect ECONNREFUSED' }],
};

describe('cleanup block', () => {
  it('names the cluster, the revision and the reason after the seed layout', () => {
    expect(renderStatusText(deleting)).toBe(
      [
        'About:',
        '',
        '  Name:      \texample-app',
        '  Namespace: \tdefault',
        '  Created at:\t2026-11-29 10:00:00 +0000 UTC',
        '  Status:    \tdeleting',
        '',
        'Services:',
        '',
        'Cleanup:',
        '',
        '  - Cluster: us-west-1  Revision: 2',
        '    cannot remove 3 objects of revision 2 from cluster us-west-1: connect ECONNREFUSED',
        '',
      ].join('\n'),
    );
  });
});
