// One TreeExplainer per distinct forest and background in a process. A gated classifier embeds
// a whole detector forest as its gate (the shipped NSL-KDD classifier's gate is the NSL-KDD
// detector, node for node: 116k nodes), so explaining both the detector and the classifier
// would otherwise hold that forest, its covers and its per-class node values twice.
import { type TreeExplainer, createTreeExplainer } from './explain';
import { type TreeEnsemble } from './tree-ensemble.model';

export interface Background {
  readonly X: Float32Array;
  readonly nRows: number;
}

interface Entry {
  readonly model: TreeEnsemble;
  readonly background: Background;
  readonly explainer: TreeExplainer;
}

export class TreeExplainerPool {
  private readonly entries: Entry[] = [];

  /** The pooled explainer of an identical forest over identical background rows, else a new one. */
  explainer(model: TreeEnsemble, background: Background): TreeExplainer {
    const found = this.entries.find((e) => sameBackground(e.background, background) && sameEnsemble(e.model, model));
    if (found) return found.explainer;
    const explainer = createTreeExplainer({ model, background });
    this.entries.push({ model, background, explainer });
    return explainer;
  }

  get size(): number {
    return this.entries.length;
  }
}

type NumericArray = Float32Array | Float64Array | Int32Array;

function sameArray(a: NumericArray, b: NumericArray): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

function sameBackground(a: Background, b: Background): boolean {
  return a === b || (a.nRows === b.nRows && sameArray(a.X, b.X));
}

/** Same kind, shape, transform, base scores and every tree's nodes (features, thresholds, children, values). */
export function sameEnsemble(a: TreeEnsemble, b: TreeEnsemble): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.nFeatures !== b.nFeatures || a.nClasses !== b.nClasses || a.valueWidth !== b.valueWidth || a.postTransform !== b.postTransform) return false;
  if (a.trees.length !== b.trees.length || !sameArray(a.baseScores, b.baseScores)) return false;
  return a.trees.every((t, i) => {
    const u = b.trees[i];
    return sameArray(t.feature, u.feature) && sameArray(t.threshold, u.threshold) && sameArray(t.left, u.left) && sameArray(t.right, u.right) && sameArray(t.value, u.value);
  });
}
