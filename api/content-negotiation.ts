/**
 * The offered media type the Accept header prefers: entries by descending q (ties keep the client's order), wildcards
 * allowed. No Accept header, or nothing acceptable, gives the first offered type: the API would rather answer in its
 * default format than refuse with 406.
 */
export function preferredMediaType(accept: string | undefined, offered: readonly [string, ...string[]]): string {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const ranges = accept
    .split(',')
    .map((entry, order) => {
      const [range = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
      const q = parameters.find((parameter) => parameter.startsWith('q='));
      return { range, quality: q === undefined ? 1 : Number(q.slice(2)), order };
    })
    .filter((entry) => entry.range !== '' && Number.isFinite(entry.quality) && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  for (const { range } of ranges) {
    const match = offered.find((type) => range === type || range === '*/*' || (range.endsWith('/*') && type.startsWith(range.slice(0, -1))));
    if (match !== undefined) return match;
  }
  return offered[0];
}
