import { describe, expect, it } from 'vitest';
import { parseRevisionName, revisionNameOf } from '../../../../lib/core/application/revision-name.ts';

describe('revision names', () => {
  it('reads <application>-v<N>, application names with -v in them included, and writes them back', () => {
    expect(parseRevisionName('example-app-v2')).toEqual({ application: 'example-app', revision: 2 });
    expect(parseRevisionName('dev-v1-v12')).toEqual({ application: 'dev-v1', revision: 12 });
    expect(revisionNameOf('example-app', 2)).toBe('example-app-v2');
  });

  it.each(['example-app', 'example-app-v0', 'example-app-v01', '-v1', 'Example-v1', 'example-app-v', 'example-app-v1x', 'a-v1234567890'])('%s is no revision name', (text) => {
    expect(parseRevisionName(text)).toBeUndefined();
  });
});
