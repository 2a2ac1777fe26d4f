// Observed inference cost of one served version on this replica, cheap enough for the hot
// path: one record per runner (batch) call, never per row. Percentiles come from a bounded
// ring of the last calls; throughput from per-second row buckets, so a replica making more
// calls per minute than the ring holds still reports the whole minute's rows.
import { type ReplicaModelStats } from '@vigil/contracts';

export interface CallStatsRingOptions {
  /** Calls kept for the percentiles (default 2,000). */
  readonly capacity?: number;
  /** Throughput window in seconds (default 60). */
  readonly windowSeconds?: number;
  /** Monotonic milliseconds (default performance.now). */
  readonly now?: () => number;
}

export class CallStatsRing {
  private readonly durations: Float64Array;
  private size = 0;
  private next = 0;
  private readonly bucketRows: Float64Array;
  private readonly bucketSecond: Float64Array;
  private readonly windowSeconds: number;
  private readonly now: () => number;
  private readonly since: number;

  constructor(opts: CallStatsRingOptions = {}) {
    this.durations = new Float64Array(Math.max(1, opts.capacity ?? 2_000));
    this.windowSeconds = Math.max(1, Math.floor(opts.windowSeconds ?? 60));
    this.bucketRows = new Float64Array(this.windowSeconds);
    this.bucketSecond = new Float64Array(this.windowSeconds).fill(-1);
    this.now = opts.now ?? (() => performance.now());
    this.since = this.now();
  }

  /** One runner call that took `durationMs` for `rows` rows, ending now. */
  record(durationMs: number, rows: number): void {
    this.durations[this.next] = durationMs;
    this.next = (this.next + 1) % this.durations.length;
    if (this.size < this.durations.length) this.size += 1;
    const second = Math.floor(this.now() / 1_000);
    const b = second % this.windowSeconds;
    if (this.bucketSecond[b] !== second) {
      this.bucketSecond[b] = second;
      this.bucketRows[b] = 0;
    }
    this.bucketRows[b] += rows;
  }

  /**
   * The figures a rollout report carries; undefined before the first call. `calls` and the
   * percentiles cover the ring (the last ≤ capacity calls, whatever their age); `rows` and
   * `rowsPerSecond` cover the last `windowSeconds`, which is shorter while the version has been
   * held for less than the full window (never under 1 s).
   */
  snapshot(): ReplicaModelStats | undefined {
    if (this.size === 0) return undefined;
    const sorted = this.durations.slice(0, this.size).sort();
    const now = this.now();
    const second = Math.floor(now / 1_000);
    let rows = 0;
    for (let b = 0; b < this.windowSeconds; b++) if (this.bucketSecond[b] > second - this.windowSeconds) rows += this.bucketRows[b];
    const windowSeconds = Math.min(this.windowSeconds, Math.max(1, (now - this.since) / 1_000));
    return {
      calls: this.size, rows, p50Ms: round3(nearestRank(sorted, 0.5)), p99Ms: round3(nearestRank(sorted, 0.99)),
      rowsPerSecond: round3(rows / windowSeconds), windowSeconds: round3(windowSeconds),
    };
  }
}

/** Nearest-rank percentile of ascending values: the smallest value with at least q of them at or below it. */
export function nearestRank(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function round3(x: number): number {
  return Math.round(x * 1_000) / 1_000;
}
