// Live feature histograms against a model's reference histograms (manifest
// `referenceHistograms`, written by training over its real rows), and the population
// stability index per feature and overall.
//
// Binning is the reference's: bin b holds edges[b-1] < v <= edges[b], the last value bin
// everything above the last edge (±Infinity included), then one bin for missing (NaN).
// PSI of a feature = Σ_b (a_b − e_b) · ln(a_b / e_b) over the smoothed shares
// a_b = (live_b + ε) / (1 + B·ε), e_b = (ref_b + ε) / (1 + B·ε), B bins, ε = 1e-4 by default,
// so an empty bin on either side costs a bounded amount instead of infinity. Overall PSI is
// the mean over features; the alert fires when it reaches `bound` (default 0.2, the usual
// "significant shift" rule of thumb).
//
// The window is a ring of slots (per N rows, or per time span with an injected clock): the
// live histogram is the sum of the ring, so old traffic falls out slot by slot.
import { type FeatureHistogram } from '@vigil/contracts';
import { TrainingInputError } from './training.errors';

export interface DriftWindow {
  /** Slots in the ring (default 10). */
  readonly slots?: number;
  /** Rotate after this many rows (default: never by rows). */
  readonly rowsPerSlot?: number;
  /** Rotate after this many milliseconds of `now()` (default: never by time). */
  readonly slotMs?: number;
}

export interface DriftMonitorOptions {
  /** One per model input feature, in model-input order. */
  readonly reference: readonly FeatureHistogram[];
  readonly window?: DriftWindow;
  readonly epsilon?: number;
  readonly bound?: number;
  readonly now?: () => number;
}

export interface FeatureDrift {
  readonly feature: string;
  readonly psi: number;
}

export interface DriftReport {
  /** Rows inside the window. */
  readonly rows: number;
  /** Mean PSI over features. */
  readonly overall: number;
  readonly max: FeatureDrift | null;
  readonly bound: number;
  /** overall >= bound (never with an empty window). */
  readonly alert: boolean;
  /** Every feature, most drifting first. */
  readonly features: readonly FeatureDrift[];
}

interface Slot {
  counts: Float64Array;
  rows: number;
  startedAt: number;
}

/** Index of the reference bin of `v` (binary search over the ascending edges). */
export function binOf(edges: readonly number[], v: number): number {
  if (Number.isNaN(v)) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** PSI between smoothed live counts and reference shares. */
export function psi(args: { live: ArrayLike<number>; liveRows: number; reference: readonly number[]; epsilon: number }): number {
  const bins = args.reference.length;
  const norm = 1 + bins * args.epsilon;
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const a = ((args.liveRows > 0 ? args.live[b] / args.liveRows : 0) + args.epsilon) / norm;
    const e = (args.reference[b] + args.epsilon) / norm;
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

export class DriftMonitor {
  private readonly offsets: Int32Array;
  private readonly totalBins: number;
  private readonly ring: Slot[] = [];
  private readonly slots: number;
  private readonly epsilon: number;
  readonly bound: number;

  constructor(private readonly opts: DriftMonitorOptions) {
    if (opts.reference.length === 0) throw new TrainingInputError('drift needs at least one reference histogram');
    this.offsets = new Int32Array(opts.reference.length + 1);
    opts.reference.forEach((h, f) => (this.offsets[f + 1] = this.offsets[f] + h.shares.length));
    this.totalBins = this.offsets[opts.reference.length];
    this.slots = Math.max(1, Math.floor(opts.window?.slots ?? 10));
    this.epsilon = opts.epsilon ?? 1e-4;
    this.bound = opts.bound ?? 0.2;
  }

  get featureCount(): number {
    return this.opts.reference.length;
  }

  /** Adds `count` rows of a model-input block (row-major, one column per reference histogram). */
  observe(X: Float32Array, count: number): void {
    const slot = this.current();
    const k = this.opts.reference.length;
    const { counts } = slot;
    for (let f = 0; f < k; f++) {
      const edges = this.opts.reference[f].edges;
      const base = this.offsets[f];
      for (let r = 0; r < count; r++) counts[base + binOf(edges, X[r * k + f])] += 1;
    }
    slot.rows += count;
  }

  report(): DriftReport {
    this.dropExpired();
    const rows = this.ring.reduce((n, s) => n + s.rows, 0);
    const live = new Float64Array(this.totalBins);
    for (const s of this.ring) for (let i = 0; i < live.length; i++) live[i] += s.counts[i];
    const features = this.opts.reference.map((h, f) => ({
      feature: h.feature,
      psi: psi({ live: live.subarray(this.offsets[f], this.offsets[f + 1]), liveRows: rows, reference: h.shares, epsilon: this.epsilon }),
    }));
    const overall = rows > 0 ? features.reduce((s, f) => s + f.psi, 0) / features.length : 0;
    const sorted = [...features].sort((a, b) => b.psi - a.psi);
    return { rows, overall, max: rows > 0 ? sorted[0] : null, bound: this.bound, alert: rows > 0 && overall >= this.bound, features: rows > 0 ? sorted : [] };
  }

  // With a time window, slots older than the whole window leave even when no rows arrive.
  private dropExpired(): void {
    const span = this.opts.window?.slotMs;
    if (span === undefined) return;
    const from = (this.opts.now?.() ?? 0) - span * this.slots;
    while (this.ring.length > 0 && this.ring[0].startedAt + span <= from) this.ring.shift();
  }

  private current(): Slot {
    const now = this.opts.now?.() ?? 0;
    const last = this.ring[this.ring.length - 1];
    const { rowsPerSlot, slotMs } = this.opts.window ?? {};
    const full = last !== undefined && ((rowsPerSlot !== undefined && last.rows >= rowsPerSlot) || (slotMs !== undefined && now - last.startedAt >= slotMs));
    if (last !== undefined && !full) return last;
    const slot: Slot = { counts: new Float64Array(this.totalBins), rows: 0, startedAt: now };
    this.ring.push(slot);
    if (this.ring.length > this.slots) this.ring.shift();
    return slot;
  }
}
