// Histogram filling and best-split search on binned data.
// Kept free of @vigil imports: worker threads load this module from plain JS.

/** Histogram channels per bin: classification = weighted class sums + row count; gradient = G, H, row count. */
export type Criterion = 'gini' | 'entropy' | 'gradient';

export const BIN_SLOTS = 256;

export interface SplitTask {
  readonly criterion: Criterion;
  readonly nClasses: number;
  /** Channels per histogram bin (nClasses + 1, or 3 for gradient). */
  readonly stride: number;
  readonly lambda: number;
  readonly y: Int32Array;
  /** Row weight (classification) including bootstrap multiplicity and class weight. */
  readonly weight: Float64Array;
  readonly count: Float64Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
}

export interface SplitCandidate {
  feature: number;
  bin: number;
  score: number;
  left: Float64Array;
}

export function fillFeatureHistogram(args: {
  task: SplitTask;
  column: Uint8Array;
  colBase: number;
  rows: Uint32Array;
  start: number;
  end: number;
  hist: Float64Array;
  histBase: number;
}): void {
  const { task, column, colBase, rows, start, end, hist, histBase } = args;
  const s = task.stride;
  const cnt = task.count;
  if (task.criterion === 'gradient') {
    const g = task.grad;
    const h = task.hess;
    for (let i = start; i < end; i++) {
      const r = rows[i];
      const o = histBase + column[colBase + r] * s;
      hist[o] += g[r];
      hist[o + 1] += h[r];
      hist[o + 2] += cnt[r];
    }
    return;
  }
  const y = task.y;
  const w = task.weight;
  const c = task.nClasses;
  for (let i = start; i < end; i++) {
    const r = rows[i];
    const o = histBase + column[colBase + r] * s;
    hist[o + y[r]] += w[r];
    hist[o + c] += cnt[r];
  }
}

/** Node "cost" to minimise: weighted impurity (classification) or -G^2/(H+lambda) (gradient). */
export function nodeCost(task: SplitTask, v: Float64Array, off: number): number {
  if (task.criterion === 'gradient') {
    const g = v[off];
    return -(g * g) / (v[off + 1] + task.lambda);
  }
  const c = task.nClasses;
  let total = 0;
  for (let k = 0; k < c; k++) total += v[off + k];
  if (total <= 0) return 0;
  let acc = 0;
  if (task.criterion === 'gini') {
    for (let k = 0; k < c; k++) acc += v[off + k] * v[off + k];
    return total - acc / total;
  }
  for (let k = 0; k < c; k++) {
    const p = v[off + k];
    if (p > 0) acc -= p * Math.log(p / total);
  }
  return acc;
}

/**
 * Scans the bins of one feature (bins 0..nBins-1, NaN bin last) and updates `best` when a split
 * "bin <= b goes left" beats it. Only bins that hold rows end a left side, so the threshold sits
 * just above the largest value that goes left.
 */
export function scanFeature(args: {
  task: SplitTask;
  hist: Float64Array;
  histBase: number;
  nBins: number;
  feature: number;
  total: Float64Array;
  minLeaf: number;
  best: SplitCandidate;
  scratch: Float64Array;
}): boolean {
  const { task, hist, histBase, nBins, feature, total, minLeaf, best, scratch } = args;
  const s = task.stride;
  const ci = s - 1;
  const n = total[ci];
  const left = scratch.subarray(0, s);
  const right = scratch.subarray(s, 2 * s);
  left.fill(0);
  let nonEmpty = 0;
  for (let b = 0; b <= nBins; b++) if (hist[histBase + b * s + ci] > 0) nonEmpty++;
  if (nonEmpty < 2) return false;
  for (let b = 0; b < nBins; b++) {
    const o = histBase + b * s;
    if (hist[o + ci] === 0) continue;
    for (let k = 0; k < s; k++) left[k] += hist[o + k];
    const nl = left[ci];
    if (nl < minLeaf) continue;
    if (n - nl < minLeaf) break;
    for (let k = 0; k < s; k++) right[k] = total[k] - left[k];
    const score = nodeCost(task, left, 0) + nodeCost(task, right, 0);
    if (score < best.score) {
      best.score = score;
      best.feature = feature;
      best.bin = b;
      best.left.set(left);
    }
  }
  return true;
}
