import { describe, expect, it } from 'vitest';
import { checkWith } from '../../../../lib/core/errors/zod-issues.ts';
import type { ClusterInfo } from '../../../../lib/core/policy/cluster-info.ts';
import { DeployStepProperties } from '../../../../lib/core/workflow/deploy-step.ts';
import { RolloutProperties } from '../../../../lib/core/workflow/rollout.ts';
import { assignWaves, cumulativeSize } from '../../../../lib/core/workflow/rollout-waves.ts';

const clusters = (names: string[], labels: (name: string) => Record<string, string> = () => ({})): ClusterInfo[] => names.map((name) => ({ name, labels: labels(name) }));
const numbered = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
const rollout = (properties: Record<string, unknown>) => RolloutProperties.parse(properties);

describe('wave sizes', () => {
  it('rounds percentages up and caps counts at the number of clusters', () => {
    expect(cumulativeSize('25%', 12)).toBe(3);
    expect(cumulativeSize('25%', 10)).toBe(3);
    expect(cumulativeSize('1%', 3)).toBe(1);
    expect(cumulativeSize('100%', 7)).toBe(7);
    expect(cumulativeSize('5', 3)).toBe(5);
  });
});

describe('assignWaves', () => {
  it('puts 1, then up to 25%, then the rest of 12 clusters into cumulative waves, by name', () => {
    const waves = assignWaves(clusters(numbered(12).reverse()), rollout({ waves: ['1', '25%', '100%'] }));
    expect(waves).toEqual([['c-01'], ['c-02', 'c-03'], numbered(12).slice(3)]);
  });

  it('places the 12 clusters of the worked example in docs/rollout.md', () => {
    const regions: Record<string, string> = {
      'ap-east-1': 'ap', 'eu-west-2': 'eu', 'us-west-3': 'us-west', 'sa-east-1': 'sa', 'eu-central-1': 'eu', 'us-west-1': 'us-west',
      'ap-south-1': 'ap', 'eu-north-1': 'eu', 'ap-northeast-1': 'ap', 'us-west-2': 'us-west', 'eu-west-1': 'eu', 'ap-southeast-1': 'ap',
    };
    const fleet = clusters(Object.keys(regions), (name) => ({ region: regions[name]! }));
    const order = ['region=us-west', 'region=eu'];
    expect(assignWaves(fleet, rollout({ waves: ['1', '25%', '100%'], order }))).toEqual([
      ['us-west-1'],
      ['us-west-2', 'us-west-3'],
      ['eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'ap-east-1', 'ap-northeast-1', 'ap-south-1', 'ap-southeast-1', 'sa-east-1'],
    ]);
    // 10% of 12 rounds up to 2 (one more cluster), 50% is 6, and the six left form a fourth wave.
    expect(assignWaves(fleet, rollout({ waves: ['1', '10%', '50%'], order }))).toEqual([
      ['us-west-1'],
      ['us-west-2'],
      ['us-west-3', 'eu-central-1', 'eu-north-1', 'eu-west-1'],
      ['eu-west-2', 'ap-east-1', 'ap-northeast-1', 'ap-south-1', 'ap-southeast-1', 'sa-east-1'],
    ]);
  });

  it('orders by the first order entry a cluster matches, unmatched clusters last, then by name', () => {
    const region: Record<string, string> = { a: 'eu', b: 'us-west', c: 'ap', d: 'us-west', e: 'eu' };
    const waves = assignWaves(clusters(['e', 'd', 'c', 'b', 'a'], (name) => ({ region: region[name] ?? '' })), rollout({ waves: ['2', '4'], order: ['region=us-west', 'region=eu'] }));
    expect(waves).toEqual([['b', 'd'], ['a', 'e'], ['c']]);
  });

  it('adds the clusters beyond the last wave as one more wave, so every placed cluster deploys', () => {
    expect(assignWaves(clusters(numbered(5)), rollout({ waves: ['1', '40%'] }))).toEqual([['c-01'], ['c-02'], ['c-03', 'c-04', 'c-05']]);
  });

  it('drops waves that add no cluster when there are few clusters', () => {
    expect(assignWaves(clusters(['only']), rollout({ waves: ['1', '25%', '100%'] }))).toEqual([['only']]);
    expect(assignWaves(clusters(['a', 'b']), rollout({ waves: ['1', '25%', '50%', '100%'] }))).toEqual([['a'], ['b']]);
    expect(assignWaves(clusters(['a', 'b', 'c']), rollout({ waves: ['5', '100%'] }))).toEqual([['a', 'b', 'c']]);
    expect(assignWaves([], rollout({ waves: ['1'] }))).toEqual([]);
  });

  it('compares a count after a larger percentage as the cumulative size it reaches (never shrinking)', () => {
    expect(assignWaves(clusters(numbered(10)), rollout({ waves: ['50%', '2', '100%'] }))).toEqual([numbered(10).slice(0, 5), numbered(10).slice(5)]);
  });

  it('is the same whatever order the registry lists the clusters in, and counts a cluster listed twice once', () => {
    const names = numbered(8);
    const shuffled = [names[5], names[0], names[7], names[2], names[1], names[6], names[4], names[3], names[0]] as string[];
    const spec = rollout({ waves: ['1', '50%'] });
    expect(assignWaves(clusters(shuffled), spec)).toEqual(assignWaves(clusters(names), spec));
  });

  it('a cluster joining later changes a fresh assignment, which is why the step records its waves once', () => {
    const spec = rollout({ waves: ['1', '50%', '100%'] });
    const before = assignWaves(clusters(['b', 'c', 'd']), spec);
    const after = assignWaves(clusters(['a', 'b', 'c', 'd']), spec);
    expect(before).toEqual([['b'], ['c'], ['d']]);
    expect(after).toEqual([['a'], ['b'], ['c', 'd']]);
  });
});

describe('rollout properties', () => {
  const issues = (value: unknown) => {
    const checked = checkWith(DeployStepProperties, { policies: ['p'], rollout: value }, 'spec.workflow.steps[0].properties');
    return checked.ok ? [] : checked.issues;
  };

  it('accepts the documented example with its defaults', () => {
    const parsed = rollout({ waves: ['1', '25%', '100%'], pauseBetweenWaves: '30s', order: ['region=us-west', 'region=eu'] });
    expect(parsed).toMatchObject({ maxUnavailableClusters: 0, approval: false, onFailure: 'pause' });
    expect(rollout({ waves: [1, 3] }).waves).toEqual(['1', '3']);
  });

  it.each([
    [{ waves: ['0'] }, 'spec.workflow.steps[0].properties.rollout.waves[0]', 'expected a cluster count such as 1 or a percentage from 1% to 100% such as 25%'],
    [{ waves: ['150%'] }, 'spec.workflow.steps[0].properties.rollout.waves[0]', 'expected a cluster count such as 1 or a percentage from 1% to 100% such as 25%'],
    [{ waves: ['1', 'half'] }, 'spec.workflow.steps[0].properties.rollout.waves[1]', 'expected a cluster count such as 1 or a percentage from 1% to 100% such as 25%'],
    [{ waves: ['50%', '25%'] }, 'spec.workflow.steps[0].properties.rollout.waves[1]', 'waves are cumulative and must increase: 25% does not exceed 50% given before it'],
    [{ waves: ['3', '3'] }, 'spec.workflow.steps[0].properties.rollout.waves[1]', 'waves are cumulative and must increase: 3 does not exceed 3 given before it'],
    [{ waves: ['1'], onFailure: 'retry' }, 'spec.workflow.steps[0].properties.rollout.onFailure', 'expected one of pause, rollback or continue'],
    [{ waves: ['1'], pauseBetweenWaves: 'soon' }, 'spec.workflow.steps[0].properties.rollout.pauseBetweenWaves', 'expected a Go duration such as 30s, 5m or 1h30m'],
    [{ waves: ['1'], order: ['us-west'] }, 'spec.workflow.steps[0].properties.rollout.order[0]', 'expected label=value, such as region=us-west'],
    [{ waves: ['1'], surge: 2 }, 'spec.workflow.steps[0].properties.rollout.surge', 'unknown field'],
  ])('refuses %j naming the field', (value, path, message) => {
    expect(issues(value)).toContainEqual({ path, message });
  });

  it('refuses a negative maxUnavailableClusters and an empty wave list', () => {
    expect(issues({ waves: ['1'], maxUnavailableClusters: -1 }).map((i) => i.path)).toEqual(['spec.workflow.steps[0].properties.rollout.maxUnavailableClusters']);
    expect(issues({ waves: [] }).map((i) => i.path)).toEqual(['spec.workflow.steps[0].properties.rollout.waves']);
  });
});
