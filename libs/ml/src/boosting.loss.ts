// Losses for boosting: gradients and Hessians of binary log-loss and multi-class softmax.
import { type TrainingSet } from './training.types';

export interface Margins {
  /** Raw scores, `width` per row (1 for binary, nClasses otherwise). */
  readonly F: Float64Array;
  readonly width: number;
  readonly base: Float64Array;
}

const MIN_HESS = 1e-16;

function classPriors(set: TrainingSet): Float64Array {
  const prior = new Float64Array(set.nClasses);
  let total = 0;
  for (let r = 0; r < set.nRows; r++) {
    const w = set.sampleWeight ? set.sampleWeight[r] : 1;
    prior[set.y[r]] += w;
    total += w;
  }
  for (let k = 0; k < set.nClasses; k++) prior[k] = Math.min(1 - 1e-7, Math.max(1e-7, prior[k] / total));
  return prior;
}

/** Starting margins: log-odds of the class-1 prior (binary) or log priors (multi-class), as float32. */
export function initialMargins(set: TrainingSet): Margins {
  const prior = classPriors(set);
  const width = set.nClasses === 2 ? 1 : set.nClasses;
  const base = new Float64Array(width);
  if (width === 1) base[0] = Math.fround(Math.log(prior[1] / prior[0]));
  else for (let k = 0; k < width; k++) base[k] = Math.fround(Math.log(prior[k]));
  const F = new Float64Array(set.nRows * width);
  for (let r = 0; r < set.nRows; r++) F.set(base, r * width);
  return { F, width, base };
}

/** Writes gradient and Hessian of the loss w.r.t. margin k for every row. */
export function writeGradients(a: { set: TrainingSet; margins: Margins; k: number; grad: Float64Array; hess: Float64Array }): void {
  const { set, margins, k, grad, hess } = a;
  const { F, width } = margins;
  for (let r = 0; r < set.nRows; r++) {
    const sw = set.sampleWeight ? set.sampleWeight[r] : 1;
    let p: number;
    let target: number;
    if (width === 1) {
      p = 1 / (1 + Math.exp(-F[r]));
      target = set.y[r] === 1 ? 1 : 0;
    } else {
      const o = r * width;
      let max = -Infinity;
      for (let j = 0; j < width; j++) if (F[o + j] > max) max = F[o + j];
      let sum = 0;
      for (let j = 0; j < width; j++) sum += Math.exp(F[o + j] - max);
      p = Math.exp(F[o + k] - max) / sum;
      target = set.y[r] === k ? 1 : 0;
    }
    grad[r] = (p - target) * sw;
    hess[r] = Math.max(p * (1 - p), MIN_HESS) * sw;
  }
}
