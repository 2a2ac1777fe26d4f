// Per-feature quantile binning. Trees are grown on bin codes; a split "bin <= b" is
// turned into a float32 threshold that reproduces it exactly on float32 inputs.
// NaN owns the bin after every finite bin, so no split can ever send NaN left.
// Kept free of @vigil imports: worker threads load this module from plain JS.

export const MAX_BINS = 255;

export interface FeatureBins {
  /** Number of non-NaN bins (at most MAX_BINS); the NaN code is `nBins`. */
  readonly nBins: number;
  /** thresholds[b]: float32 t such that x <= t  <=>  bin(x) <= b, for every training value x. */
  readonly thresholds: Float32Array;
}

export interface BinnedMatrix {
  readonly nRows: number;
  readonly nFeatures: number;
  /** Feature-major codes: codes[f * nRows + r]. */
  readonly codes: Uint8Array;
  readonly bins: readonly FeatureBins[];
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Largest float32 that is <= x (x finite). */
export function float32AtMost(x: number): number {
  const f = Math.fround(x);
  if (f <= x) return f;
  if (f === 0) return -1.401298464324817e-45;
  f32[0] = f;
  if (f > 0) u32[0] -= 1;
  else u32[0] += 1;
  return f32[0];
}

function splitThreshold(lo: number, hi: number): number {
  const mid = (lo + hi) / 2;
  return Number.isFinite(mid) ? float32AtMost(mid) : lo;
}

/** Bins one sorted, NaN-free column; returns the bin upper values and thresholds. */
function binSortedColumn(sorted: Float32Array, maxBins: number): { uppers: Float32Array; thresholds: Float32Array } {
  const n = sorted.length;
  const uppers: number[] = [];
  const thresholds: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    const closesBin =
      j + 1 === n || (uppers.length < maxBins - 1 && j + 1 >= ((uppers.length + 1) * n) / maxBins);
    if (closesBin) {
      uppers.push(sorted[j]);
      if (j + 1 < n) thresholds.push(splitThreshold(sorted[j], sorted[j + 1]));
    }
    i = j + 1;
  }
  // Last threshold: every non-NaN value goes left (the "is missing" split).
  thresholds.push(Infinity);
  return { uppers: Float32Array.from(uppers), thresholds: Float32Array.from(thresholds) };
}

function codeOf(uppers: Float32Array, v: number): number {
  if (v !== v) return uppers.length;
  let lo = 0;
  let hi = uppers.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= uppers[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Quantile-bins a row-major float32 matrix (at most `maxBins` non-NaN bins per feature). */
export function binMatrix(args: { X: Float32Array; nRows: number; nFeatures: number; maxBins?: number }): BinnedMatrix {
  const { X, nRows, nFeatures } = args;
  const maxBins = Math.min(args.maxBins ?? MAX_BINS, MAX_BINS);
  const codes = new Uint8Array(nRows * nFeatures);
  const bins: FeatureBins[] = [];
  const column = new Float32Array(nRows);
  for (let f = 0; f < nFeatures; f++) {
    let m = 0;
    for (let r = 0; r < nRows; r++) {
      const v = X[r * nFeatures + f];
      if (v === v) column[m++] = v;
    }
    const sorted = column.slice(0, m).sort();
    const { uppers, thresholds } = binSortedColumn(sorted, maxBins);
    const base = f * nRows;
    for (let r = 0; r < nRows; r++) codes[base + r] = codeOf(uppers, X[r * nFeatures + f]);
    bins.push({ nBins: uppers.length, thresholds });
  }
  return { nRows, nFeatures, codes, bins };
}
