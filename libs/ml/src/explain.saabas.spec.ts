import { createTreeExplainer, explain, saabasOf, saabasTable, treeCovers } from './explain';
import { saabasRow } from './explain.saabas';
import { trainRandomForest } from './forest.trainer';
import { loadSample } from './ml-test.fixture';
import { type Tree, type TreeEnsemble } from './tree-ensemble.model';
import { predict } from './tree-ensemble.predict';

/** The textbook Saabas walk, node means computed here from the covers: Σ over the path of mean(child) - mean(node). */
function referenceSaabas(model: TreeEnsemble, covers: readonly Float64Array[], x: ArrayLike<number>, output: number): Float64Array {
  const phi = new Float64Array(model.nFeatures);
  model.trees.forEach((tree, t) => {
    const mean = nodeMeans(tree, covers[t], (n) => tree.value[n * model.valueWidth + output] * (1 / model.trees.length));
    let node = 0;
    while (tree.feature[node] >= 0) {
      const next = x[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      phi[tree.feature[node]] += mean[next] - mean[node];
      node = next;
    }
  });
  return phi;
}

function nodeMeans(tree: Tree, cover: Float64Array, leaf: (n: number) => number): Float64Array {
  const mean = new Float64Array(tree.feature.length);
  const visit = (n: number): number => {
    if (tree.feature[n] < 0) return (mean[n] = leaf(n));
    const l = visit(tree.left[n]);
    const r = visit(tree.right[n]);
    const c = cover[n];
    return (mean[n] = c > 0 ? (l * cover[tree.left[n]] + r * cover[tree.right[n]]) / c : (l + r) / 2);
  };
  visit(0);
  return mean;
}

describe('Saabas over flattened trees (precomputed steps)', () => {
  it('equals the per-step walk bit for bit and adds up to the predicted probability of every class (real rows)', async () => {
    const set = await loadSample('family');
    const model = await trainRandomForest(set, { nEstimators: 6, seed: 7, workers: 1 });
    const background = { X: set.X, nRows: 400 };
    const e = createTreeExplainer({ model, background });
    const covers = treeCovers(model, background);
    const p = predict(model, set.X, 300).probabilities;
    for (let r = 0; r < 300; r++) {
      const x = set.X.subarray(r * set.nFeatures, (r + 1) * set.nFeatures);
      for (let k = 0; k < set.nClasses; k++) {
        const got = explain(e, x, { output: k, method: 'saabas' });
        expect(Array.from(got.contributions)).toEqual(Array.from(referenceSaabas(model, covers, x, k)));
        expect(Math.abs(got.output - p[r * set.nClasses + k])).toBeLessThan(1e-6);
      }
    }
  });

  it('walks a row of a block into a slot of a block (offsets), adding to what is there', async () => {
    const set = await loadSample('family');
    const model = await trainRandomForest(set, { nEstimators: 3, seed: 8, workers: 1 });
    const e = createTreeExplainer({ model, background: { X: set.X, nRows: 200 } });
    const nf = set.nFeatures;
    const phi = new Float64Array(3 * nf).fill(1);
    saabasRow(saabasOf(e), { x: set.X, offset: 5 * nf, steps: saabasTable(e, 1), phi, phiOffset: nf });
    const single = explain(e, set.X.subarray(5 * nf, 6 * nf), { output: 1, method: 'saabas' }).contributions;
    expect(Array.from(phi.subarray(nf, 2 * nf))).toEqual(Array.from(single, (v) => 1 + v));
    expect(Array.from(phi.subarray(0, nf)).every((v) => v === 1) && Array.from(phi.subarray(2 * nf)).every((v) => v === 1)).toBe(true);
  });

  it('rejects an output the model does not have', async () => {
    const set = await loadSample('binary');
    const model = await trainRandomForest(set, { nEstimators: 2, seed: 9, workers: 1 });
    const e = createTreeExplainer({ model, background: { X: set.X, nRows: 100 } });
    expect(() => saabasTable(e, 2)).toThrow('output class out of range');
  });
});
