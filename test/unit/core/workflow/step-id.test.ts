import { describe, expect, it } from 'vitest';
import { stepId } from '../../../../lib/core/workflow/step-id.ts';

describe('stepId', () => {
  it('is 10 characters from [a-z1-9], as KubeVela shows step ids', () => {
    for (let index = 0; index < 200; index += 1) expect(stepId('default/app', `step-${index}`)).toMatch(/^[a-z1-9]{10}$/);
  });

  it('is the same for the same app and step name', () => {
    expect(stepId('default/example-app', 'deploy-beijing')).toBe(stepId('default/example-app', 'deploy-beijing'));
  });

  it('differs between steps and between apps', () => {
    const ids = new Set([stepId('default/a', 'deploy'), stepId('default/a', 'deploy-2'), stepId('default/b', 'deploy'), stepId('other/a', 'deploy')]);
    expect(ids.size).toBe(4);
  });

  it('does not confuse the boundary between app key and step name', () => {
    expect(stepId('default/a', 'b-c')).not.toBe(stepId('default/a-b', 'c'));
  });

  it('uses every character of the alphabet', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 300; index += 1) for (const character of stepId('default/app', String(index))) seen.add(character);
    expect([...seen].sort().join('')).toBe('123456789abcdefghijklmnopqrstuvwxyz');
  });
});
