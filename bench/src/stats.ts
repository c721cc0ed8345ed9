/** Median and spread of a sample, the way every figure in the bench is reported. */
export interface Summary {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const mbps = (bytes: number, seconds: number) => (bytes * 8) / seconds / 1e6;
