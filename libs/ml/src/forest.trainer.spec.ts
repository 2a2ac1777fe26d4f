import { exportOnnx } from './onnx.export';
import { trainDecisionTree, trainRandomForest } from './forest.trainer';
import { type LabelledSet, loadSample } from './ml-test.fixture';
import { binaryMetrics } from './metrics';
import { predict } from './tree-ensemble.predict';

function giniOf(counts: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return n === 0 ? 0 : n - counts.reduce((a, c) => a + (c * c) / n, 0);
}

/** Exhaustive best stump (weighted Gini) over every feature and every cut between distinct values. */
function bruteForceBestGini(set: LabelledSet): number {
  let best = Infinity;
  for (let f = 0; f < set.nFeatures; f++) {
    const rows = Array.from({ length: set.nRows }, (_, r) => r).sort((a, b) => set.X[a * set.nFeatures + f] - set.X[b * set.nFeatures + f]);
    const left = [0, 0];
    const total = [0, 0];
    for (const r of rows) total[set.y[r]]++;
    for (let i = 0; i < rows.length - 1; i++) {
      left[set.y[rows[i]]]++;
      if (set.X[rows[i] * set.nFeatures + f] === set.X[rows[i + 1] * set.nFeatures + f]) continue;
      best = Math.min(best, giniOf(left) + giniOf([total[0] - left[0], total[1] - left[1]]));
    }
  }
  return best;
}

describe('trainDecisionTree', () => {
  it('splits a stump of real rows where exhaustive search says the best Gini split is', async () => {
    const set = await loadSample('binary');
    const model = await trainDecisionTree(set, { maxDepth: 1 });
    const [tree] = model.trees;
    expect(tree.feature.length).toBe(3);
    const f = tree.feature[0];
    const left = [0, 0];
    const right = [0, 0];
    for (let r = 0; r < set.nRows; r++) (set.X[r * set.nFeatures + f] <= tree.threshold[0] ? left : right)[set.y[r]]++;
    expect(giniOf(left) + giniOf(right)).toBeCloseTo(bruteForceBestGini(set), 6);
  });

  it('sends NaN right: missing values follow the side the trainer chose for them', async () => {
    // Hand-made column (split logic under test): NaN rows share the class of the large values.
    const X = Float32Array.from([1, 2, 3, 10, 11, NaN, NaN]);
    const y = Int32Array.from([0, 0, 0, 1, 1, 1, 1]);
    const model = await trainDecisionTree({ X, y, nRows: 7, nFeatures: 1, nClasses: 2 });
    expect(model.trees[0].threshold[0]).toBe(6.5);
    expect(Array.from(predict(model, Float32Array.from([NaN, 2, 10.5]), 3).labels)).toEqual([1, 0, 1]);
  });

  it('can split on missingness alone (all finite values left, NaN right)', async () => {
    const X = Float32Array.from([1, 5, 9, NaN, NaN]);
    const y = Int32Array.from([0, 0, 0, 1, 1]);
    const model = await trainDecisionTree({ X, y, nRows: 5, nFeatures: 1, nClasses: 2 });
    expect(model.trees[0].threshold[0]).toBe(Infinity);
    expect(Array.from(predict(model, Float32Array.from([NaN, Infinity, -3]), 3).labels)).toEqual([1, 0, 0]);
  });

  it('weights a class up and raises its recall', async () => {
    const set = await loadSample('family');
    const minority = set.classNames.indexOf('Probe');
    const recallOf = async (classWeight?: Record<number, number>): Promise<number> => {
      const model = await trainDecisionTree(set, { maxDepth: 2, classWeight });
      const yPred = predict(model, set.X, set.nRows).labels;
      return binaryMetrics({ yTrue: set.y, yPred, positive: minority }).recall;
    };
    const plain = await recallOf();
    const weighted = await recallOf({ [minority]: 20 });
    expect(weighted).toBeGreaterThan(plain);
  });
});

describe('trainRandomForest', () => {
  const labels = (set: LabelledSet): string[] => set.classNames;

  it('is identical bit for bit for a seed, whatever the worker count, and differs for another seed', async () => {
    const set = await loadSample('family');
    const opts = { nEstimators: 6, maxDepth: 8, seed: 7 };
    const bytes = async (o: object): Promise<Buffer> =>
      Buffer.from(exportOnnx(await trainRandomForest(set, { ...opts, ...o }), { classLabels: labels(set) }));
    const one = await bytes({ workers: 1 });
    const two = await bytes({ workers: 2 });
    expect(one.equals(two)).toBe(true);
    expect(one.equals(await bytes({ workers: 1 }))).toBe(true);
    expect(one.equals(await bytes({ workers: 1, seed: 8 }))).toBe(false);
  });

  it('reports progress per tree and learns the real rows', async () => {
    const set = await loadSample('binary');
    const seen: number[] = [];
    const model = await trainRandomForest(set, { nEstimators: 5, maxDepth: 10, workers: 2, onProgress: (d, t) => seen.push(d * 100 + t) });
    expect(seen.sort((a, b) => a - b)).toEqual([105, 205, 305, 405, 505]);
    const p = predict(model, set.X, set.nRows);
    expect(binaryMetrics({ yTrue: set.y, yPred: p.labels }).accuracy).toBeGreaterThan(0.97);
    for (let r = 0; r < set.nRows; r++) expect(p.probabilities[2 * r] + p.probabilities[2 * r + 1]).toBeCloseTo(1, 5);
  });

  it('rejects bad options with a stable code', async () => {
    const set = await loadSample('binary');
    await expect(trainRandomForest(set, { maxFeatures: { fraction: 1.5 } })).rejects.toMatchObject({ code: 'ML.TRAINING_INPUT_INVALID' });
    await expect(trainRandomForest({ ...set, nClasses: 1 })).rejects.toMatchObject({ code: 'ML.TRAINING_INPUT_INVALID' });
  });
});
