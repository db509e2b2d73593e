import { parseGoDuration } from '../lib/core/workflow/go-duration.ts';
import { UsageError } from './usage-error.ts';

/** `--timeout 5m`, `--timeout 90s`, `--timeout 300` (bare numbers are seconds, as vela's `--timeout 300s` habit suggests). */
export function parseDuration(text: string): number {
  const seconds = /^\d+$/.test(text) ? Number(text) : parseGoDuration(text);
  if (seconds === undefined || seconds <= 0) throw new UsageError(`"${text}" is not a positive duration such as 90s, 5m or 1h30m`);
  return Math.round(seconds * 1000);
}

/** Milliseconds as Go prints a duration (`5m0s`, `1m30s`, `1h0m0s`, `800ms`), the way vela words timeouts. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${milliseconds}ms`;
  const total = Math.round(milliseconds / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
