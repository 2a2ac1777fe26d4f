// Explanations of a gated classifier. P(class k) = P_det(attack) × P_cat(k) is a product, so
// no additive attribution of it is exact; instead each part answers its own question: the
// detector part explains P_det(attack) ("why is this an attack"), the category part explains
// P_cat(k) ("why this attack class"). Both are exact for their forest.
import { type GatedEnsemble } from './gated-ensemble.model';
import { type ExplainMethod, type Explanation, type TreeExplainer, createTreeExplainer, explain } from './explain';
import { type TreeExplainerPool } from './explain.shared';

export interface GatedExplainer {
  readonly detector: TreeExplainer;
  readonly categories: TreeExplainer;
}

export interface GatedExplanation {
  /** Attributions to P_det(attack). */
  readonly attack: Explanation;
  /** Attributions to P_cat(class) for an attack class; absent for the normal class (0). */
  readonly category?: Explanation;
}

/** With a pool (and background rows), a gate identical to an already explained detector reuses its explainer. */
export function createGatedExplainer(args: { model: GatedEnsemble; background?: { X: Float32Array; nRows: number }; pool?: TreeExplainerPool }): GatedExplainer {
  const { pool, background } = args;
  if (pool && background) return { detector: pool.explainer(args.model.detector, background), categories: pool.explainer(args.model.categories, background) };
  return {
    detector: createTreeExplainer({ model: args.model.detector, background: args.background }),
    categories: createTreeExplainer({ model: args.model.categories, background: args.background }),
  };
}

/** `classIndex` indexes the gated model's labels: 0 = normal, k ≥ 1 = attack category k - 1. */
export function explainGated(e: GatedExplainer, x: ArrayLike<number>, opts: { classIndex: number; method?: ExplainMethod }): GatedExplanation {
  const attack = explain(e.detector, x, { output: 1, method: opts.method });
  if (opts.classIndex <= 0) return { attack };
  return { attack, category: explain(e.categories, x, { output: opts.classIndex - 1, method: opts.method }) };
}
