// Batch prediction that mirrors onnxruntime's TreeEnsembleClassifier arithmetic: leaf
// weights are float32, summed in float32 in tree order, then finalised the way ORT does
// (binary: [1-p, p]; gbt binary: logistic; multi-class gbt: softmax).
import { type Tree, type TreeEnsemble } from './tree-ensemble.model';

export interface Prediction {
  /** Class index per row. */
  readonly labels: Int32Array;
  /** nRows x nClasses, row-major. */
  readonly probabilities: Float32Array;
}

// Per-tree float32 weights, computed once per (model, tree): single-row calls stay cheap.
const weightCache = new WeakMap<TreeEnsemble, Float32Array[]>();

/** Leaf weights exactly as the ONNX export writes them (float32). */
export function leafWeights(model: TreeEnsemble, tree: Tree): Float32Array {
  const w = new Float32Array(tree.value.length);
  const div = model.kind === 'gbt' ? 1 : model.trees.length;
  for (let i = 0; i < w.length; i++) w[i] = tree.value[i] / div;
  return w;
}

function modelWeights(model: TreeEnsemble): Float32Array[] {
  let cached = weightCache.get(model);
  if (!cached) {
    cached = model.trees.map((t) => leafWeights(model, t));
    weightCache.set(model, cached);
  }
  return cached;
}

function accumulate(model: TreeEnsemble, X: Float32Array, nRows: number, acc: Float32Array): void {
  const width = model.valueWidth;
  const nf = model.nFeatures;
  const weights = modelWeights(model);
  for (let t = 0; t < model.trees.length; t++) {
    const tree = model.trees[t];
    const w = weights[t];
    const { feature, threshold, left, right } = tree;
    for (let r = 0; r < nRows; r++) {
      const rowBase = r * nf;
      let node = 0;
      let f = feature[0];
      while (f >= 0) {
        node = X[rowBase + f] <= threshold[node] ? left[node] : right[node];
        f = feature[node];
      }
      const o = r * width;
      const lo = node * width;
      for (let k = 0; k < width; k++) acc[o + k] += w[lo + k];
    }
  }
}

/** ORT's ComputeLogistic, rounded to float32. */
export function logistic(v: number): number {
  const p = 1 / (1 + Math.exp(-Math.abs(v)));
  return Math.fround(v < 0 ? 1 - Math.fround(p) : p);
}

function finaliseRow(model: TreeEnsemble, acc: Float32Array, r: number, out: Float32Array): number {
  const c = model.nClasses;
  const width = model.valueWidth;
  const a = r * width;
  const o = r * c;
  if (c === 2 && (model.kind !== 'gbt' || width === 1)) {
    if (model.kind === 'gbt') {
      const s = Math.fround(acc[a] + model.baseScores[0]);
      out[o] = logistic(-s);
      out[o + 1] = logistic(s);
      return s > 0 ? 1 : 0;
    }
    const p = acc[a + 1];
    out[o] = Math.fround(1 - p);
    out[o + 1] = p;
    return p > 0.5 ? 1 : 0;
  }
  let best = 0;
  for (let k = 0; k < c; k++) {
    const s = Math.fround(acc[a + k] + (model.baseScores[k] ?? 0));
    out[o + k] = s;
    if (s > out[o + best]) best = k;
  }
  if (model.postTransform === 'softmax') softmaxInPlace(out, o, c);
  return best;
}

function softmaxInPlace(v: Float32Array, o: number, c: number): void {
  let max = -Infinity;
  for (let k = 0; k < c; k++) if (v[o + k] > max) max = v[o + k];
  let sum = 0;
  for (let k = 0; k < c; k++) {
    v[o + k] = Math.exp(v[o + k] - max);
    sum = Math.fround(sum + v[o + k]);
  }
  for (let k = 0; k < c; k++) v[o + k] = v[o + k] / sum;
}

/** Labels and class probabilities for nRows rows of a row-major float32 matrix. */
export function predict(model: TreeEnsemble, X: Float32Array, nRows: number): Prediction {
  const acc = new Float32Array(nRows * model.valueWidth);
  accumulate(model, X, nRows, acc);
  const probabilities = new Float32Array(nRows * model.nClasses);
  const labels = new Int32Array(nRows);
  for (let r = 0; r < nRows; r++) labels[r] = finaliseRow(model, acc, r, probabilities);
  return { labels, probabilities };
}

export function predictProba(model: TreeEnsemble, X: Float32Array, nRows: number): Float32Array {
  return predict(model, X, nRows).probabilities;
}
