// Random forests and single CART trees on pre-binned features.
import os from 'node:os';
import { binMatrix } from './binning';
import { attachThresholds } from './tree-ensemble.build';
import { type Tree, type TreeEnsemble } from './tree-ensemble.model';
import { type TrainingSet } from './training.types';
import { requirePositiveInt, validateTrainingSet } from './training.validate';
import { type ForestOptions, type TreeOptions, resolveClassWeight, resolveMaxFeatures } from './forest.options';
import { runTreeJobs } from './forest.pool';
import { type ForestShared } from './forest.tree-job';

function probabilityLeaf(nClasses: number) {
  return (totals: Float64Array, out: Float64Array): void => {
    let sum = 0;
    for (let k = 0; k < nClasses; k++) sum += totals[k];
    for (let k = 0; k < nClasses; k++) out[k] = sum > 0 ? totals[k] / sum : 1 / nClasses;
  };
}

function sharedFor(set: TrainingSet, opts: ForestOptions, bootstrap: boolean, defaultMaxFeatures: 'sqrt' | 'all'): { shared: ForestShared; bins: ReturnType<typeof binMatrix>['bins'] } {
  const binned = binMatrix({ X: set.X, nRows: set.nRows, nFeatures: set.nFeatures, maxBins: opts.maxBins });
  const params = {
    maxDepth: requirePositiveInt('maxDepth', opts.maxDepth ?? Infinity),
    minSamplesSplit: requirePositiveInt('minSamplesSplit', opts.minSamplesSplit ?? 2, 2),
    minSamplesLeaf: requirePositiveInt('minSamplesLeaf', opts.minSamplesLeaf ?? 1),
    maxFeatures: resolveMaxFeatures(opts.maxFeatures ?? defaultMaxFeatures, set.nFeatures),
  };
  const shared: ForestShared = {
    codes: binned.codes,
    nRows: set.nRows,
    nFeatures: set.nFeatures,
    nBins: Int32Array.from(binned.bins, (b) => b.nBins),
    y: set.y,
    sampleWeight: set.sampleWeight ? Float64Array.from(set.sampleWeight) : null,
    nClasses: set.nClasses,
    classWeight: resolveClassWeight(opts.classWeight, set.y, set.nClasses),
    criterion: opts.criterion ?? 'gini',
    bootstrap,
    seed: opts.seed ?? 0,
    params,
  };
  return { shared, bins: binned.bins };
}

/** Trains a random forest; identical output for a given seed whatever `workers` is. */
export async function trainRandomForest(set: TrainingSet, opts: ForestOptions = {}): Promise<TreeEnsemble> {
  validateTrainingSet(set);
  const nTrees = requirePositiveInt('nEstimators', opts.nEstimators ?? 100);
  const { shared, bins } = sharedFor(set, opts, opts.bootstrap ?? true, 'sqrt');
  const trees: Tree[] = new Array<Tree>(nTrees);
  const leafValue = probabilityLeaf(set.nClasses);
  let done = 0;
  await runTreeJobs({
    shared,
    nTrees,
    workers: requirePositiveInt('workers', opts.workers ?? os.availableParallelism()),
    onTreeDone: (index, grown) => {
      trees[index] = attachThresholds({ grown, bins, valueWidth: set.nClasses, leafValue });
      opts.onProgress?.(++done, nTrees);
    },
  });
  return {
    kind: nTrees === 1 && !(opts.bootstrap ?? true) ? 'dt' : 'rf',
    nFeatures: set.nFeatures,
    nClasses: set.nClasses,
    valueWidth: set.nClasses,
    trees,
    baseScores: new Float32Array(0),
    postTransform: 'none',
  };
}

/** Trains one CART tree on all rows (no bootstrap; every feature considered unless maxFeatures says otherwise). */
export async function trainDecisionTree(set: TrainingSet, opts: TreeOptions = {}): Promise<TreeEnsemble> {
  const model = await trainRandomForest(set, { maxFeatures: 'all', ...opts, nEstimators: 1, bootstrap: false, workers: 1 });
  return { ...model, kind: 'dt' };
}
