import { TrainingInputError } from './training.errors';
import { type ProgressCallback } from './training.types';

/** 'sqrt' | 'log2' | 'all' | an integer count | { fraction } of the features, drawn per node. */
export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number | { readonly fraction: number };

/** 'balanced' = n / (nClasses * count(class)), as scikit-learn; or an explicit weight per class index. */
export type ClassWeight = 'balanced' | Readonly<Record<number, number>>;

export interface TreeOptions {
  readonly criterion?: 'gini' | 'entropy';
  readonly maxDepth?: number;
  readonly minSamplesSplit?: number;
  readonly minSamplesLeaf?: number;
  readonly maxFeatures?: MaxFeatures;
  readonly classWeight?: ClassWeight;
  readonly maxBins?: number;
  readonly seed?: number;
}

export interface ForestOptions extends TreeOptions {
  readonly nEstimators?: number;
  readonly bootstrap?: boolean;
  /** Worker threads; default: available cores. 1 trains in-process. */
  readonly workers?: number;
  readonly onProgress?: ProgressCallback;
}

export function resolveMaxFeatures(m: MaxFeatures, nFeatures: number): number {
  let k: number;
  if (m === 'all') k = nFeatures;
  else if (m === 'sqrt') k = Math.floor(Math.sqrt(nFeatures));
  else if (m === 'log2') k = Math.floor(Math.log2(nFeatures));
  else if (typeof m === 'number') {
    if (!Number.isInteger(m) || m < 1) throw new TrainingInputError('maxFeatures count must be an integer >= 1', { maxFeatures: m });
    k = m;
  } else {
    if (!(m.fraction > 0 && m.fraction <= 1)) throw new TrainingInputError('maxFeatures fraction must be in (0, 1]', { fraction: m.fraction });
    k = Math.floor(m.fraction * nFeatures);
  }
  return Math.min(nFeatures, Math.max(1, k));
}

export function resolveClassWeight(cw: ClassWeight | undefined, y: Int32Array, nClasses: number): Float64Array {
  const out = new Float64Array(nClasses).fill(1);
  if (cw === undefined) return out;
  if (cw === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (const v of y) counts[v]++;
    for (let k = 0; k < nClasses; k++) out[k] = counts[k] > 0 ? y.length / (nClasses * counts[k]) : 1;
    return out;
  }
  for (const [key, w] of Object.entries(cw)) {
    const k = Number(key);
    if (!(Number.isInteger(k) && k >= 0 && k < nClasses) || !(w >= 0)) {
      throw new TrainingInputError('classWeight keys must be class indices and weights >= 0', { key, weight: w });
    }
    out[k] = w;
  }
  return out;
}
