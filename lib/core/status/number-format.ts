/** `x` with at most `places` decimals, trailing zeros dropped: 12.5, 3, 0.012. */
export function decimal(x: number, places: number): string {
  const fixed = x.toFixed(places);
  return places === 0 ? fixed : fixed.replace(/\.?0+$/, '');
}

/** A USD amount with three significant digits however small: $0.0000312, $0.012, $1.25. */
export function usdText(x: number): string {
  if (x === 0) return '$0';
  if (x >= 0.01) return `$${x.toFixed(2)}`;
  const digits = Math.min(12, 2 - Math.floor(Math.log10(x)));
  return `$${x.toFixed(digits)}`;
}
