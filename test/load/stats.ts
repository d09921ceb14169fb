/**
 * Latency percentiles the same way for every load test: from every recorded latency (no
 * histogram buckets), nearest-rank, in milliseconds to a tenth.
 */
export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const tenth = (ms: number) => Math.round(ms * 10) / 10;

/** Nearest-rank percentiles of `samples` (milliseconds); zeros when there are none. */
export function latencies(samples: readonly number[] | Float64Array): Latencies {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted.length === 0 ? 0 : tenth(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}
