// How the benchmarks print their figures.

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function ratio(numerator: number, denominator: number): string {
  return (numerator / denominator).toFixed(2);
}

export function perTarget(total: number, targets: number): string {
  return (total / targets).toFixed(2);
}

/** The nearest-rank percentile (p in 0..100) of some samples. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
