/**
 * A trained tree ensemble in flat typed arrays, shaped so that TypeScript and
 * onnxruntime's TreeEnsembleClassifier compute the same float32 numbers.
 * Splits: `x <= threshold` goes left; NaN always goes right.
 */
export type TreeEnsembleKind = 'rf' | 'dt' | 'gbt';
export type PostTransform = 'none' | 'logistic' | 'softmax';

export interface Tree {
  /** Split feature per node; -1 marks a leaf. */
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /**
   * Leaf values, `valueWidth` per node. rf/dt: class probabilities (nClasses wide).
   * gbt: raw additive scores (1 wide for binary = the class-1 margin, nClasses wide otherwise).
   */
  readonly value: Float64Array;
}

export interface TreeEnsemble {
  readonly kind: TreeEnsembleKind;
  readonly nFeatures: number;
  readonly nClasses: number;
  readonly valueWidth: number;
  readonly trees: readonly Tree[];
  /** Added to the summed scores before the post transform (gbt), valueWidth long. */
  readonly baseScores: Float32Array;
  readonly postTransform: PostTransform;
}

export function countNodes(model: TreeEnsemble): number {
  let n = 0;
  for (const t of model.trees) n += t.feature.length;
  return n;
}
