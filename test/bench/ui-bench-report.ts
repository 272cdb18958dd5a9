/** bench:ui's figures: percentiles, one JSON line per measurement on stdout (with the load), notes on stderr. */
import os from 'node:os';


// Everything human-readable goes to stderr; stdout carries only the JSON lines.
export const note = (line: string) => process.stderr.write(`[bench:ui] ${line}\n`);
export const round = (n: number) => Math.round(n * 10) / 10;

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function stats(samples: readonly number[]) {
  return { p50_ms: round(quantile(samples, 0.5)), p95_ms: round(quantile(samples, 0.95)), max_ms: round(Math.max(...samples)), samples: samples.length };
}

/** Every line carries the 1-minute load average: on a shared machine it says how far a figure can be trusted. */
export function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, load1: Math.round(os.loadavg()[0]! * 10) / 10 })}\n`);
}

export interface Measured {
  name: string;
  samples: number[];
  target_ms?: number;
  /** Which percentile the target applies to. */
  target_on?: 'p50' | 'p95';
  /** Target as a ratio: p95 at most this times the baseline's p95. */
  target_max_ratio_p95?: number;
  how: string;
  baseline?: { name: string; samples: number[] };
  extra?: Record<string, unknown>;
}

export function report(m: Measured): void {
  const s = stats(m.samples);
  const line: Record<string, unknown> = { bench: 'ui', name: m.name, ...s };
  if (m.target_ms !== undefined) {
    const on = m.target_on ?? 'p95';
    line.target = `${on} < ${m.target_ms} ms`;
    line.meets_target = (on === 'p50' ? s.p50_ms : s.p95_ms) < m.target_ms;
  } else if (m.target_max_ratio_p95 === undefined) {
    line.target = null;
    line.meets_target = null;
  }
  if (m.baseline) {
    const b = stats(m.baseline.samples);
    line.baseline = m.baseline.name;
    line.baseline_p50_ms = b.p50_ms;
    line.baseline_p95_ms = b.p95_ms;
    line.ratio_vs_baseline = Math.round((s.p50_ms / b.p50_ms) * 100) / 100;
    line.ratio_p95_vs_baseline = Math.round((s.p95_ms / b.p95_ms) * 100) / 100;
    if (m.target_max_ratio_p95 !== undefined) {
      line.target = `p95 <= ${m.target_max_ratio_p95}x baseline p95`;
      line.meets_target = s.p95_ms <= m.target_max_ratio_p95 * b.p95_ms;
    }
  }
  line.how = m.how;
  Object.assign(line, m.extra ?? {});
  emit(line);
}
