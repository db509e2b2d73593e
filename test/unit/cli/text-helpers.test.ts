import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../cli/durations.ts';
import { labelLines, parseLabelKeys, parseLabels } from '../../../cli/labels.ts';
import { elapsed, fit } from '../../../cli/output/progress-output.ts';
import { displayWidth, renderTable } from '../../../cli/output/table.ts';
import { UsageError } from '../../../cli/usage-error.ts';
import { thrown } from '../support/builders.ts';

describe('renderTable', () => {
  it('pads every column to its widest cell, joins with tabs and drops trailing blanks', () => {
    expect(renderTable([['A', 'BB', 'C'], ['aaa', '', ''], ['', 'b', 'cc']])).toBe('A  \tBB\tC\naaa\n   \tb \tcc\n');
  });

  it('counts wide characters as two columns', () => {
    expect(displayWidth('北京-1')).toBe(6);
    expect(renderTable([['北京', 'x'], ['ab', 'y']])).toBe('北京\tx\nab  \ty\n');
  });
});

describe('labels', () => {
  it('parses k=v lists; values may be empty or hold "="', () => {
    expect(parseLabels('provider=AWS, region = us-west ,note=a=b,empty=')).toEqual({ provider: 'AWS', region: 'us-west', note: 'a=b', empty: '' });
  });

  it.each([
    ['provider', 'label "provider" must be key=value'],
    ['=AWS', 'label "=AWS" must be key=value'],
    ['a=1,,b=2', 'labels must be separated by single commas, with no empty entry: "a=1,,b=2"'],
    ['a=1,a=2', 'label a is given twice'],
  ])('refuses %j', (text, message) => {
    const error = thrown(() => parseLabels(text));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
  });

  it('parses key lists, once each, and refuses k=v there', () => {
    expect(parseLabelKeys('provider, tier,provider')).toEqual(['provider', 'tier']);
    expect((thrown(() => parseLabelKeys('provider=AWS')) as Error).message).toBe('"provider=AWS" is not a label key: give keys only, e.g. provider');
  });

  it('lists labels sorted by key', () => {
    expect(labelLines({ tier: 'edge', provider: 'AWS' }, { key: (k) => `<${k}>`, value: (v) => `[${v}]` })).toEqual(['<provider>=[AWS]', '<tier>=[edge]']);
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
    ['300', 300_000],
    ['250ms', 250],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['0', '0s', '-5s', '5x', '', 'm'])('refuses %j', (text) => expect(thrown(() => parseDuration(text))).toBeInstanceOf(UsageError));

  it.each([
    [300_000, '5m0s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [30_000, '30s'],
    [800, '800ms'],
  ])('formats %d ms as Go does: %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('progress text', () => {
  it('cuts to a width with an ellipsis, counting wide characters twice', () => {
    expect(fit('hello world', 20)).toBe('hello world');
    expect(fit('hello world', 8)).toBe('hello w…');
    expect(fit('北京北京北京', 7)).toBe('北京北…');
  });

  it('words elapsed time briefly', () => {
    expect([0, 7_900, 65_000, 3_725_000].map(elapsed)).toEqual(['0s', '7s', '1m05s', '1h02m']);
  });
});
