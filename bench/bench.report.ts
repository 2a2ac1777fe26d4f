// How a benchmark reports a figure to tools/bench.js: one `BENCH {json}` line on stdout; and
// where the benches find the shared real datasets (run from the repo root, as tools/bench.js does).
import path from 'node:path';

/** ../shared/datasets beside the repo; benches that use it say so and fall back when it is absent. */
export const SHARED_DATASETS = path.resolve(process.cwd(), '..', 'shared', 'datasets');

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  note?: string;
}

export function report(figure: Figure): void {
  process.stdout.write(`BENCH ${JSON.stringify(figure)}\n`);
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
