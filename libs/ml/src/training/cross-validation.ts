// Out-of-fold predictions: every row is predicted by a model that never trained on it (and,
// for attack-type folds, never saw its attack type).
import { type CanonicalLabel, getContract } from '@vigil/contracts';
import { attackTypeFolds, stratifiedFolds } from '../attack-type.folds';
import { type FitArgs, fitModel, predictFitted } from './model-fit';
import { type TrainSpec } from './train-spec';

export interface Folds {
  readonly fold: Int32Array;
  readonly nFolds: number;
  /** attack-type-cv: the attack types each fold holds out. */
  readonly heldOut?: string[][];
}

export function makeFolds(spec: TrainSpec, labels: readonly CanonicalLabel[], y: Int32Array, nClasses: number): Folds | null {
  const { method, folds } = spec.validation;
  const seed = spec.params.seed;
  if (method === 'none') return null;
  if (method === 'stratified-cv') return { fold: stratifiedFolds({ y, nClasses, nFolds: folds, seed }), nFolds: folds };
  const contract = getContract(spec.contract);
  const familyOf = new Map(contract.labels.map((l) => [l.label, l.family]));
  const r = attackTypeFolds({
    types: labels.map((l) => (l.isAttack ? l.label : null)),
    categoryOf: (t) => familyOf.get(t) ?? '',
    categories: contract.families.slice(1),
    nFolds: folds,
    seed,
  });
  return { fold: r.fold, nFolds: folds, heldOut: r.heldOut };
}

/** n × nClasses out-of-fold probabilities. */
export async function outOfFold(args: Omit<FitArgs, 'rows' | 'drawIndex'> & { folds: Folds; n: number }): Promise<Float32Array> {
  const { folds, n, nClasses, nFeatures, X } = args;
  const oof = new Float32Array(n * nClasses);
  for (let k = 0; k < folds.nFolds; k++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (folds.fold[i] === k ? test : train).push(i);
    if (test.length === 0) continue;
    const model = await fitModel({ ...args, rows: train, drawIndex: k + 1 });
    const Xt = new Float32Array(test.length * nFeatures);
    test.forEach((r, i) => Xt.set(X.subarray(r * nFeatures, (r + 1) * nFeatures), i * nFeatures));
    const p = predictFitted(model, Xt, test.length);
    test.forEach((r, i) => oof.set(p.subarray(i * nClasses, (i + 1) * nClasses), r * nClasses));
  }
  return oof;
}
