import { createGatedExplainer, explainGated } from './explain.gated';
import { createTreeExplainer, explain, expectedValue, topContributions, treeCovers } from './explain';
import { trainGradientBoosting } from './boosting.trainer';
import { trainRandomForest } from './forest.trainer';
import { predictGated } from './gated-ensemble.model';
import { loadSample } from './ml-test.fixture';
import { type Tree, type TreeEnsemble } from './tree-ensemble.model';
import { predict } from './tree-ensemble.predict';

// Node 0: f0 <= 0.5 ? node 1 : leaf 2.  Node 1: f1 <= 0.5 ? leaf 3 : leaf 4.
// P(class 1) at the leaves: leaf 3 = 0, leaf 4 = 1, leaf 2 = 0.5; covers 4, 2, 4.
function handTree(p: { l3: number; l4: number; l2: number }, secondFeature = 1, secondThreshold = 0.5): Tree {
  const value = new Float64Array(10);
  for (const [n, v] of [[3, p.l3], [4, p.l4], [2, p.l2]] as const) {
    value[n * 2] = 1 - v;
    value[n * 2 + 1] = v;
  }
  return {
    feature: Int32Array.from([0, secondFeature, -1, -1, -1]),
    threshold: Float32Array.from([0.5, secondThreshold, 0, 0, 0]),
    left: Int32Array.from([1, 3, -1, -1, -1]),
    right: Int32Array.from([2, 4, -1, -1, -1]),
    value,
  };
}

const covers = Float64Array.from([10, 6, 4, 4, 2]);

function rf(trees: Tree[]): TreeEnsemble {
  return { kind: trees.length === 1 ? 'dt' : 'rf', nFeatures: 2, nClasses: 2, valueWidth: 2, trees, baseScores: new Float32Array(0), postTransform: 'none' };
}

describe('TreeSHAP on hand-built trees', () => {
  it('gives the Shapley values computed by hand from the conditional expectations', () => {
    const e = createTreeExplainer({ model: rf([handTree({ l3: 0, l4: 1, l2: 0.5 })]), covers: [covers] });
    // v(∅) = (4·0 + 2·1 + 4·0.5)/10 = 0.4, v({0}) = 2/6, v({1}) = 0.6·1 + 0.4·0.5 = 0.8, v({0,1}) = 1.
    const r = explain(e, [0, 1]);
    expect(r.expectedValue).toBeCloseTo(0.4, 12);
    expect(r.contributions[0]).toBeCloseTo(0.5 * (1 / 3 - 0.4 + (1 - 0.8)), 12);
    expect(r.contributions[1]).toBeCloseTo(0.5 * (0.8 - 0.4 + (1 - 1 / 3)), 12);
    expect(r.output).toBeCloseTo(1, 12);
  });

  it('credits everything to a feature split twice on the path (the unwind step)', () => {
    const e = createTreeExplainer({ model: rf([handTree({ l3: 0, l4: 1, l2: 0 }, 0, 0.2)]), covers: [Float64Array.from([10, 6, 4, 3, 3])] });
    const r = explain(e, [0.3, 123]);
    expect(r.expectedValue).toBeCloseTo(0.3, 12);
    expect(r.contributions[0]).toBeCloseTo(0.7, 12);
    expect(r.contributions[1]).toBe(0);
  });

  it('averages a forest and sends NaN right, as prediction does', () => {
    const a = handTree({ l3: 0, l4: 1, l2: 0.5 });
    const b = handTree({ l3: 0.2, l4: 0.6, l2: 1 });
    const model = rf([a, b]);
    const e = createTreeExplainer({ model, covers: [covers, covers] });
    for (const x of [[0, 1], [NaN, 0], [0.1, NaN], [1, 1]]) {
      const r = explain(e, x);
      const p = predict(model, Float32Array.from(x), 1).probabilities[1];
      expect(r.output).toBeCloseTo(p, 7);
    }
    expect(expectedValue(e, 1)).toBeCloseTo((0.4 + (0.2 * 4 + 0.6 * 2 + 4) / 10) / 2, 12);
  });

  it('Saabas attributes each step of the path to its split feature', () => {
    const e = createTreeExplainer({ model: rf([handTree({ l3: 0, l4: 1, l2: 0.5 })]), covers: [covers] });
    const r = explain(e, [0, 1], { method: 'saabas' });
    expect(r.contributions[0]).toBeCloseTo(1 / 3 - 0.4, 12);
    expect(r.contributions[1]).toBeCloseTo(1 - 1 / 3, 12);
    expect(r.output).toBeCloseTo(1, 12);
  });

  it('explains a boosted model in margin space, base score in the expected value', () => {
    const t = handTree({ l3: 0, l4: 1, l2: 0.5 });
    const value = Float64Array.from({ length: 5 }, (_, n) => t.value[n * 2 + 1] - 0.5);
    const model: TreeEnsemble = { kind: 'gbt', nFeatures: 2, nClasses: 2, valueWidth: 1, trees: [{ ...t, value }], baseScores: Float32Array.from([0.25]), postTransform: 'logistic' };
    const e = createTreeExplainer({ model, covers: [covers] });
    const r = explain(e, [0, 1]);
    expect(r.expectedValue).toBeCloseTo(0.25 + 0.4 - 0.5, 7);
    expect(r.output).toBeCloseTo(0.25 + 0.5, 7);
    expect(explain(e, [0, 1], { output: 0 }).output).toBeCloseTo(-0.75, 7);
  });

  it('lists the largest contributions by magnitude with the row values', () => {
    const e = createTreeExplainer({ model: rf([handTree({ l3: 0, l4: 1, l2: 0.5 })]), covers: [covers] });
    const top = topContributions({ explanation: explain(e, [0, 1]), k: 1, x: [0, 1], names: ['a', 'b'] });
    expect(top).toEqual([{ index: 1, feature: 'b', value: 1, contribution: expect.closeTo(0.5333333, 6) }]);
  });
});

describe('explanations of trained models', () => {
  it('add up to the predicted probability of every class and row (random forest, covers from real rows)', async () => {
    const set = await loadSample('family');
    const model = await trainRandomForest(set, { nEstimators: 6, seed: 5, workers: 1 });
    const e = createTreeExplainer({ model, background: { X: set.X, nRows: 500 } });
    const p = predict(model, set.X, 200).probabilities;
    for (let r = 0; r < 200; r++) {
      const x = set.X.subarray(r * set.nFeatures, (r + 1) * set.nFeatures);
      for (let k = 0; k < set.nClasses; k++) expect(Math.abs(explain(e, x, { output: k }).output - p[r * set.nClasses + k])).toBeLessThan(1e-6);
    }
  });

  it('add up to the boosted margin', async () => {
    const set = await loadSample('binary');
    const model = await trainGradientBoosting(set, { nEstimators: 10, maxDepth: 4, learningRate: 0.3, seed: 1 });
    const e = createTreeExplainer({ model, background: { X: set.X, nRows: set.nRows } });
    const p = predict(model, set.X, 100).probabilities;
    for (let r = 0; r < 100; r++) {
      const margin = explain(e, set.X.subarray(r * set.nFeatures, (r + 1) * set.nFeatures)).output;
      expect(1 / (1 + Math.exp(-margin))).toBeCloseTo(p[r * 2 + 1], 5);
    }
  });

  it('explain a gated model part by part: the gate for attack, the category forest for the class', async () => {
    const set = await loadSample('family');
    const normal = set.classNames.indexOf('normal');
    const detector = await trainRandomForest({ ...set, y: Int32Array.from(set.y, (k) => (k === normal ? 0 : 1)), nClasses: 2 }, { nEstimators: 4, seed: 2, workers: 1 });
    const categories = await trainRandomForest({ ...set }, { nEstimators: 4, seed: 3, workers: 1 });
    const g = createGatedExplainer({ model: { detector, categories }, background: { X: set.X, nRows: 300 } });
    const probs = predictGated({ detector, categories }, set.X, 50).probabilities;
    const width = categories.nClasses + 1;
    for (let r = 0; r < 50; r++) {
      const x = set.X.subarray(r * set.nFeatures, (r + 1) * set.nFeatures);
      const ex = explainGated(g, x, { classIndex: 2 });
      expect(ex.attack.output * (ex.category?.output ?? NaN)).toBeCloseTo(probs[r * width + 2], 5);
      expect(explainGated(g, x, { classIndex: 0 }).category).toBeUndefined();
    }
    expect(treeCovers(detector, { X: set.X, nRows: 300 })[0][0]).toBeCloseTo(300, 3);
  });
});
