// One random-forest tree as a self-contained job: the same function runs in the main
// thread and in worker threads, seeded by (seed, tree index) so the forest never depends
// on how trees were scheduled. Kept free of @vigil imports: workers load it from plain JS.
import { Random, deriveSeed } from './random';
import { type GrownTree, type GrowParams, growTree } from './tree-builder';

export interface ForestShared {
  readonly codes: Uint8Array;
  readonly nRows: number;
  readonly nFeatures: number;
  readonly nBins: Int32Array;
  readonly y: Int32Array;
  readonly sampleWeight: Float64Array | null;
  readonly nClasses: number;
  readonly classWeight: Float64Array;
  readonly criterion: 'gini' | 'entropy';
  readonly bootstrap: boolean;
  readonly seed: number;
  readonly params: GrowParams;
}

export function buildForestTree(shared: ForestShared, index: number): GrownTree {
  const { nRows, y, sampleWeight, classWeight } = shared;
  const rng = new Random(deriveSeed(shared.seed, index));
  const count = new Float64Array(nRows);
  if (shared.bootstrap) {
    for (let i = 0; i < nRows; i++) count[rng.nextInt(nRows)] += 1;
  } else {
    count.fill(1);
  }
  const weight = new Float64Array(nRows);
  let inBag = 0;
  for (let r = 0; r < nRows; r++) {
    if (count[r] === 0) continue;
    weight[r] = count[r] * classWeight[y[r]] * (sampleWeight ? sampleWeight[r] : 1);
    inBag++;
  }
  const rows = new Uint32Array(inBag);
  for (let r = 0, j = 0; r < nRows; r++) if (count[r] > 0) rows[j++] = r;
  const task = {
    criterion: shared.criterion, nClasses: shared.nClasses, stride: shared.nClasses + 1, lambda: 0,
    y, weight, count, grad: weight, hess: weight,
  };
  const data = { codes: shared.codes, nRows, nFeatures: shared.nFeatures, nBins: shared.nBins };
  return growTree({ task, data, params: shared.params, rng, rows });
}
