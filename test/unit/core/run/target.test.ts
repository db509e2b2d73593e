import { describe, expect, it } from 'vitest';
import { placementOfTargetName, targetName } from '../../../../lib/core/run/target.ts';

describe('placementOfTargetName', () => {
  it('reads back the placement targetName named', () => {
    const placement = { cluster: 'us-west-1', namespace: 'shop' };
    expect(placementOfTargetName(targetName(placement))).toEqual(placement);
  });

  it('refuses a name that is not cluster/namespace, naming it', () => {
    for (const name of ['us-west-1', '/shop', 'us-west-1/']) expect(() => placementOfTargetName(name)).toThrow(`not a target name (cluster/namespace): ${name}`);
  });
});
