// Fits the model a spec describes on a subset of rows: one ensemble, or a gated pair (a
// binary gate with synthetic outliers + an attack-only category model).
import { trainGradientBoosting } from '../boosting.trainer';
import { trainDecisionTree, trainRandomForest } from '../forest.trainer';
import { type GatedEnsemble, predictGated } from '../gated-ensemble.model';
import { deriveSeed } from '../random';
import { marginalOutliers } from '../synthetic-outliers';
import { type TreeEnsemble } from '../tree-ensemble.model';
import { predict } from '../tree-ensemble.predict';
import { TrainingInputError } from '../training.errors';
import { type TrainingSet } from '../training.types';
import { type Algorithm, type HyperParams, type TrainSpec } from './train-spec';

export type FittedModel = { readonly kind: 'single'; readonly ensemble: TreeEnsemble } | { readonly kind: 'gated'; readonly gated: GatedEnsemble };

export interface FitArgs {
  readonly spec: TrainSpec;
  /** All rows, model order. */
  readonly X: Float32Array;
  readonly nFeatures: number;
  readonly y: Int32Array;
  readonly nClasses: number;
  readonly benignClass: number;
  /** Training row indices. */
  readonly rows: ArrayLike<number>;
  /** Separates the synthetic draws of CV folds (the final model uses 0). */
  readonly drawIndex: number;
  readonly workers: number;
  readonly onTree?: () => void;
}

export function treesOf(algo: Algorithm, params: HyperParams, nClasses: number): number {
  if (algo === 'dt') return 1;
  const rounds = params.trees ?? 100;
  return algo === 'gbt' && nClasses > 2 ? rounds * nClasses : rounds;
}

function pick(X: Float32Array, nFeatures: number, rows: ArrayLike<number>, extra = 0): Float32Array {
  const out = new Float32Array((rows.length + extra) * nFeatures);
  for (let i = 0; i < rows.length; i++) out.set(X.subarray(rows[i] * nFeatures, (rows[i] + 1) * nFeatures), i * nFeatures);
  return out;
}

export function trainAlgorithm(args: { algo: Algorithm; params: HyperParams; set: TrainingSet; workers: number; onTree?: () => void }): Promise<TreeEnsemble> {
  const { algo, params: p, set } = args;
  const onProgress = args.onTree ? () => args.onTree?.() : undefined;
  const tree = { maxDepth: p.maxDepth, minSamplesLeaf: p.minSamplesLeaf, criterion: p.criterion, classWeight: p.classWeight, seed: p.seed };
  switch (algo) {
    case 'rf':
      return trainRandomForest(set, { ...tree, nEstimators: p.trees ?? 100, maxFeatures: p.maxFeatures, workers: args.workers, onProgress });
    case 'dt':
      return trainDecisionTree(set, { ...tree, maxFeatures: p.maxFeatures ?? 'all' }).then((m) => (args.onTree?.(), m));
    case 'gbt':
      return trainGradientBoosting(set, {
        nEstimators: p.trees ?? 100, learningRate: p.learningRate, maxDepth: p.maxDepth ?? 6, minSamplesLeaf: p.minSamplesLeaf,
        subsample: p.subsample, seed: p.seed, onProgress,
      });
  }
}

/** Rows of `rows` plus synthetic outliers of its benign rows, labelled `attackClass`. */
function withOutliers(a: FitArgs, rows: ArrayLike<number>, y: (row: number) => number, attackClass: number): TrainingSet {
  const benign: number[] = [];
  for (let i = 0; i < rows.length; i++) if (a.y[rows[i]] === a.benignClass) benign.push(rows[i]);
  const count = Math.round(benign.length * a.spec.syntheticOutliers);
  const X = pick(a.X, a.nFeatures, rows, count);
  if (count > 0) X.set(marginalOutliers({ X: a.X, nFeatures: a.nFeatures, sourceRows: benign, count, seed: deriveSeed(a.spec.params.seed, 1000 + a.drawIndex) }), rows.length * a.nFeatures);
  const labels = new Int32Array(rows.length + count).fill(attackClass);
  for (let i = 0; i < rows.length; i++) labels[i] = y(rows[i]);
  return { X, nRows: rows.length + count, nFeatures: a.nFeatures, y: labels, nClasses: 2 };
}

export async function fitModel(a: FitArgs): Promise<FittedModel> {
  const { spec } = a;
  if (!spec.categories) {
    if (spec.syntheticOutliers > 0 && a.nClasses !== 2) throw new TrainingInputError('synthetic outliers need a binary target or a gated classifier');
    const set = spec.syntheticOutliers > 0
      ? withOutliers(a, a.rows, (r) => a.y[r], 1 - a.benignClass)
      : { X: pick(a.X, a.nFeatures, a.rows), nRows: a.rows.length, nFeatures: a.nFeatures, y: Int32Array.from(a.rows, (r) => a.y[r]), nClasses: a.nClasses };
    return { kind: 'single', ensemble: await trainAlgorithm({ algo: spec.algo, params: spec.params, set, workers: a.workers, onTree: a.onTree }) };
  }
  if (a.benignClass !== 0) throw new TrainingInputError('a gated classifier needs the benign class first');
  const gateSet = withOutliers(a, a.rows, (r) => (a.y[r] === 0 ? 0 : 1), 1);
  const detector = await trainAlgorithm({ algo: spec.algo, params: spec.params, set: gateSet, workers: a.workers, onTree: a.onTree });
  const attackRows = Array.from(a.rows).filter((r) => a.y[r] !== 0);
  const catSet = { X: pick(a.X, a.nFeatures, attackRows), nRows: attackRows.length, nFeatures: a.nFeatures, y: Int32Array.from(attackRows, (r) => a.y[r] - 1), nClasses: a.nClasses - 1 };
  const categories = await trainAlgorithm({ algo: spec.categories.algo, params: spec.categories.params, set: catSet, workers: a.workers, onTree: a.onTree });
  return { kind: 'gated', gated: { detector, categories } };
}

/** n × nClasses probabilities, exactly as the exported ONNX graph computes them. */
export function predictFitted(model: FittedModel, X: Float32Array, n: number): Float32Array {
  return model.kind === 'single' ? predict(model.ensemble, X, n).probabilities : predictGated(model.gated, X, n).probabilities;
}
