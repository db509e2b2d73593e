import * as z from 'zod';

const unitSeconds: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  'µs': 1e-6,
  'μs': 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

const wholePattern = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))*$/;
const partPattern = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** Seconds in a Go duration (`90s`, `1h30m`, `1.5h`, `300ms`, `0`), or undefined when it is not one. Negative durations are refused. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0') return 0;
  const unsigned = text.startsWith('+') ? text.slice(1) : text;
  if (!wholePattern.test(unsigned)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of unsigned.matchAll(partPattern)) seconds += Number(amount) * (unitSeconds[unit ?? ''] ?? Number.NaN);
  return Number.isFinite(seconds) ? seconds : undefined;
}

export const GoDuration = z.string().refine((text) => parseGoDuration(text) !== undefined, {
  error: 'expected a Go duration such as 30s, 5m or 1h30m',
});
