/**
 * A moment as Go's `time.Time.String()` prints a whole-second UTC time (`2006-01-02 15:04:05 +0000 UTC`), which is how
 * `vela status` shows Created at; Kubernetes timestamps have no fraction, so none is printed.
 */
export function goTimeUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: ${iso}`);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** An elapsed time in its largest whole unit, as kubectl prints ages (`35s`, `4m`, `2h`, `3d`, `1y`). */
export function shortAge(milliseconds: number): string {
  const seconds = Math.floor(Math.max(0, milliseconds) / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 365) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}
