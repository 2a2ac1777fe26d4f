// Gradient-boosted trees with Newton leaves: binary log-loss (one margin, logistic) and
// multi-class softmax (one tree per class per round). Trees grow on the binned matrix with
// every feature in play, so the histogram subtraction trick applies.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { binMatrix } from './binning';
import { Random } from './random';
import { type GrownTree, growTree } from './tree-builder';
import { type SplitTask } from './tree-builder.split';
import { attachThresholds } from './tree-ensemble.build';
import { type Tree, type TreeEnsemble } from './tree-ensemble.model';
import { TrainingInputError } from './training.errors';
import { type ProgressCallback, type TrainingSet } from './training.types';
import { requirePositiveInt, validateTrainingSet } from './training.validate';
import { type Margins, initialMargins, writeGradients } from './boosting.loss';

export interface BoostingOptions {
  /** Boosting rounds (multi-class grows one tree per class per round). */
  readonly nEstimators?: number;
  readonly learningRate?: number;
  readonly maxDepth?: number;
  readonly minSamplesLeaf?: number;
  readonly minSamplesSplit?: number;
  /** Fraction of rows drawn (without replacement) per round. */
  readonly subsample?: number;
  /** L2 penalty on leaf values (Newton step -G / (H + lambda)). */
  readonly lambda?: number;
  readonly maxBins?: number;
  readonly seed?: number;
  readonly onProgress?: ProgressCallback;
}

function checkRange(name: string, v: number, lo: number, hi: number): number {
  if (!(v > lo && v <= hi)) throw new TrainingInputError(`${name} must be in (${lo}, ${hi}]`, { [name]: v });
  return v;
}

export async function trainGradientBoosting(set: TrainingSet, opts: BoostingOptions = {}): Promise<TreeEnsemble> {
  validateTrainingSet(set);
  const rounds = requirePositiveInt('nEstimators', opts.nEstimators ?? 100);
  const lr = checkRange('learningRate', opts.learningRate ?? 0.1, 0, 1);
  const subsample = checkRange('subsample', opts.subsample ?? 1, 0, 1);
  const lambda = opts.lambda ?? 1;
  if (!(lambda >= 0)) throw new TrainingInputError('lambda must be >= 0', { lambda });
  const params = {
    maxDepth: requirePositiveInt('maxDepth', opts.maxDepth ?? 3),
    minSamplesSplit: requirePositiveInt('minSamplesSplit', opts.minSamplesSplit ?? 2, 2),
    minSamplesLeaf: requirePositiveInt('minSamplesLeaf', opts.minSamplesLeaf ?? 1),
    maxFeatures: set.nFeatures,
  };
  const binned = binMatrix({ X: set.X, nRows: set.nRows, nFeatures: set.nFeatures, maxBins: opts.maxBins });
  const data = { codes: binned.codes, nRows: set.nRows, nFeatures: set.nFeatures, nBins: Int32Array.from(binned.bins, (b) => b.nBins) };
  const margins = initialMargins(set);
  const width = margins.width;
  const rng = new Random(opts.seed ?? 0);
  const task: SplitTask = {
    criterion: 'gradient', nClasses: set.nClasses, stride: 3, lambda, y: set.y,
    weight: new Float64Array(0), count: new Float64Array(set.nRows), grad: new Float64Array(set.nRows), hess: new Float64Array(set.nRows),
  };
  const trees: Tree[] = [];
  const total = rounds * width;
  for (let round = 0; round < rounds; round++) {
    const rows = drawRows(rng, set.nRows, subsample, task.count);
    // Every class tree of a round fits the gradients at the margins the round started from.
    const start = width === 1 ? margins : { ...margins, F: margins.F.slice() };
    for (let k = 0; k < width; k++) {
      writeGradients({ set, margins: start, k, grad: task.grad, hess: task.hess });
      const grown = growTree({ task, data, params, rng, rows: rows.slice() });
      const tree = attachThresholds({
        grown, bins: binned.bins, valueWidth: width,
        leafValue: (t, out) => { out[k] = Math.fround((-lr * t[0]) / (t[1] + lambda)); },
      });
      applyTree({ grown, tree, data, margins, k });
      trees.push(tree);
      opts.onProgress?.(trees.length, total);
    }
    await yieldToLoop();
  }
  return {
    kind: 'gbt', nFeatures: set.nFeatures, nClasses: set.nClasses, valueWidth: width, trees,
    baseScores: Float32Array.from(margins.base), postTransform: width === 1 ? 'logistic' : 'softmax',
  };
}

/** Rows for this round, ascending; count[r] = 1 when drawn else 0. */
function drawRows(rng: Random, nRows: number, fraction: number, count: Float64Array): Uint32Array {
  const take = Math.max(1, Math.round(fraction * nRows));
  if (take >= nRows) {
    count.fill(1);
    return Uint32Array.from({ length: nRows }, (_, i) => i);
  }
  const perm = Uint32Array.from({ length: nRows }, (_, i) => i);
  for (let i = 0; i < take; i++) {
    const j = i + rng.nextInt(nRows - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const rows = perm.slice(0, take).sort();
  count.fill(0);
  for (const r of rows) count[r] = 1;
  return rows;
}

/** Adds the tree's leaf values to every row's margin, walking bin codes (same routing as thresholds). */
function applyTree(a: { grown: GrownTree; tree: Tree; data: { codes: Uint8Array; nRows: number }; margins: Margins; k: number }): void {
  const { grown, tree, data, margins, k } = a;
  const w = margins.width;
  for (let r = 0; r < data.nRows; r++) {
    let node = 0;
    while (grown.feature[node] >= 0) {
      node = data.codes[grown.feature[node] * data.nRows + r] <= grown.splitBin[node] ? grown.left[node] : grown.right[node];
    }
    margins.F[r * w + k] += tree.value[node * w + k];
  }
}
