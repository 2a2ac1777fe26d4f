// Grows one CART tree on binned data, depth first. With every feature in play it keeps
// per-node histograms and uses the subtraction trick (build the smaller child, derive the
// larger from the parent); with feature sampling it histograms only the features it draws.
// Kept free of @vigil imports: worker threads load this module from plain JS.
import { type Random } from './random';
import { BIN_SLOTS, type SplitCandidate, type SplitTask, fillFeatureHistogram, nodeCost, scanFeature } from './tree-builder.split';

export interface GrowParams {
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly maxFeatures: number;
}

export interface BinnedData {
  readonly codes: Uint8Array;
  readonly nRows: number;
  readonly nFeatures: number;
  readonly nBins: Int32Array;
}

/** A grown tree before thresholds are attached: splits are (feature, bin). Leaves have feature -1. */
export interface GrownTree {
  readonly feature: Int32Array;
  readonly splitBin: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf totals per node (histogram channels), `stride` per node. */
  readonly totals: Float64Array;
  readonly stride: number;
}

interface Ctx {
  task: SplitTask;
  data: BinnedData;
  params: GrowParams;
  rng: Random;
  rows: Uint32Array;
  tmp: Uint32Array;
  featureOrder: Int32Array;
  featHist: Float64Array;
  scratch: Float64Array;
  out: { feature: number[]; bin: number[]; left: number[]; right: number[]; totals: number[] };
  full: boolean;
}

export function growTree(args: { task: SplitTask; data: BinnedData; params: GrowParams; rng: Random; rows: Uint32Array }): GrownTree {
  const { task, data, params, rng, rows } = args;
  const s = task.stride;
  const ctx: Ctx = {
    task, data, params, rng, rows,
    tmp: new Uint32Array(rows.length),
    featureOrder: Int32Array.from({ length: data.nFeatures }, (_, i) => i),
    featHist: new Float64Array(BIN_SLOTS * s),
    scratch: new Float64Array(2 * s),
    out: { feature: [], bin: [], left: [], right: [], totals: [] },
    full: params.maxFeatures >= data.nFeatures,
  };
  const total = new Float64Array(s);
  for (const r of rows) addRow(task, r, total);
  const hist = ctx.full && splittable(ctx, total, 0) ? buildFullHistogram(ctx, 0, rows.length) : null;
  grow(ctx, { start: 0, end: rows.length, depth: 0, total, hist });
  const o = ctx.out;
  return {
    feature: Int32Array.from(o.feature), splitBin: Int32Array.from(o.bin),
    left: Int32Array.from(o.left), right: Int32Array.from(o.right),
    totals: Float64Array.from(o.totals), stride: s,
  };
}

function addRow(task: SplitTask, r: number, v: Float64Array): void {
  if (task.criterion === 'gradient') {
    v[0] += task.grad[r];
    v[1] += task.hess[r];
    v[2] += task.count[r];
  } else {
    v[task.y[r]] += task.weight[r];
    v[task.nClasses] += task.count[r];
  }
}

function splittable(ctx: Ctx, total: Float64Array, depth: number): boolean {
  const { params, task } = ctx;
  const n = total[task.stride - 1];
  if (depth >= params.maxDepth || n < params.minSamplesSplit || n < 2 * params.minSamplesLeaf) return false;
  if (task.criterion === 'gradient') return true;
  let present = 0;
  for (let k = 0; k < task.nClasses; k++) if (total[k] > 0) present++;
  return present > 1;
}

function buildFullHistogram(ctx: Ctx, start: number, end: number): Float64Array {
  const { data, task } = ctx;
  const per = BIN_SLOTS * task.stride;
  const hist = new Float64Array(data.nFeatures * per);
  for (let f = 0; f < data.nFeatures; f++) {
    fillFeatureHistogram({ task, column: data.codes, colBase: f * data.nRows, rows: ctx.rows, start, end, hist, histBase: f * per });
  }
  return hist;
}

interface NodeArgs {
  start: number;
  end: number;
  depth: number;
  total: Float64Array;
  hist: Float64Array | null;
}

function grow(ctx: Ctx, node: NodeArgs): number {
  const id = pushNode(ctx, node.total);
  if (!splittable(ctx, node.total, node.depth)) return id;
  const best = findSplit(ctx, node);
  if (best.feature < 0) return id;
  const mid = partition(ctx, node, best);
  const leftTotal = best.left.slice();
  const rightTotal = node.total.map((v, k) => v - leftTotal[k]);
  const [lHist, rHist] = childHistograms(ctx, { node, mid, leftTotal, rightTotal });
  ctx.out.feature[id] = best.feature;
  ctx.out.bin[id] = best.bin;
  ctx.out.left[id] = grow(ctx, { start: node.start, end: mid, depth: node.depth + 1, total: leftTotal, hist: lHist });
  ctx.out.right[id] = grow(ctx, { start: mid, end: node.end, depth: node.depth + 1, total: rightTotal, hist: rHist });
  return id;
}

function pushNode(ctx: Ctx, total: Float64Array): number {
  const o = ctx.out;
  const id = o.feature.length;
  o.feature.push(-1);
  o.bin.push(-1);
  o.left.push(-1);
  o.right.push(-1);
  for (const v of total) o.totals.push(v);
  return id;
}

function childHistograms(
  ctx: Ctx,
  a: { node: NodeArgs; mid: number; leftTotal: Float64Array; rightTotal: Float64Array },
): [Float64Array | null, Float64Array | null] {
  const { node, mid } = a;
  if (!node.hist) return [null, null];
  const needL = splittable(ctx, a.leftTotal, node.depth + 1);
  const needR = splittable(ctx, a.rightTotal, node.depth + 1);
  if (!needL && !needR) return [null, null];
  const leftSmaller = mid - node.start <= node.end - mid;
  if (!(needL && needR)) {
    return needL ? [buildFullHistogram(ctx, node.start, mid), null] : [null, buildFullHistogram(ctx, mid, node.end)];
  }
  const small = leftSmaller ? buildFullHistogram(ctx, node.start, mid) : buildFullHistogram(ctx, mid, node.end);
  const large = node.hist;
  for (let i = 0; i < large.length; i++) large[i] -= small[i];
  return leftSmaller ? [small, large] : [large, small];
}

function findSplit(ctx: Ctx, node: NodeArgs): SplitCandidate {
  const { task, data, params } = ctx;
  const parentCost = nodeCost(task, node.total, 0);
  const best: SplitCandidate = {
    feature: -1, bin: -1, score: parentCost - 1e-9 * Math.max(1, Math.abs(parentCost)), left: new Float64Array(task.stride),
  };
  const per = BIN_SLOTS * task.stride;
  const order = ctx.featureOrder;
  let visited = 0;
  for (let i = 0; i < data.nFeatures && visited < params.maxFeatures; i++) {
    let f = i;
    if (!ctx.full) {
      const j = i + ctx.rng.nextInt(data.nFeatures - i);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
      f = order[i];
    }
    let hist = node.hist;
    let histBase = f * per;
    if (!hist) {
      hist = ctx.featHist;
      hist.fill(0);
      histBase = 0;
      fillFeatureHistogram({ task, column: data.codes, colBase: f * data.nRows, rows: ctx.rows, start: node.start, end: node.end, hist, histBase });
    }
    const nonConstant = scanFeature({
      task, hist, histBase, nBins: data.nBins[f], feature: f, total: node.total, minLeaf: params.minSamplesLeaf, best, scratch: ctx.scratch,
    });
    if (nonConstant) visited++;
  }
  return best;
}

/** Stable partition of rows[start, end) into bin <= split (left) and the rest. */
function partition(ctx: Ctx, node: NodeArgs, best: SplitCandidate): number {
  const { rows, tmp, data } = ctx;
  const base = best.feature * data.nRows;
  const codes = data.codes;
  let l = node.start;
  let r = 0;
  for (let i = node.start; i < node.end; i++) {
    const row = rows[i];
    if (codes[base + row] <= best.bin) rows[l++] = row;
    else tmp[r++] = row;
  }
  rows.set(tmp.subarray(0, r), l);
  return l;
}
