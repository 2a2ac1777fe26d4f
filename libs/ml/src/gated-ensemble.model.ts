// A gated classifier: a binary detector decides attack vs normal, a K-class forest trained
// on attack rows only names the attack. P(normal) = P_det(normal) and
// P(attack class k) = P_det(attack) × P_cat(k), so the K+1 probabilities sum to one and a
// novel attack the category forest never saw still lands on an attack class, not "normal".
import { TrainingInputError } from './training.errors';
import { type TreeEnsemble } from './tree-ensemble.model';
import { predict, type Prediction } from './tree-ensemble.predict';

export interface GatedEnsemble {
  /** Two classes: [normal, attack]. */
  readonly detector: TreeEnsemble;
  /** K attack classes. */
  readonly categories: TreeEnsemble;
}

export function checkGated(model: GatedEnsemble): void {
  if (model.detector.nClasses !== 2) throw new TrainingInputError('the gate must be a two-class detector', { nClasses: model.detector.nClasses });
  if (model.detector.nFeatures !== model.categories.nFeatures) {
    throw new TrainingInputError('detector and category model must read the same features', { detector: model.detector.nFeatures, categories: model.categories.nFeatures });
  }
}

/**
 * Labels and (1+K)-wide probabilities, in float32 exactly as the ONNX graph computes them
 * (Split, Mul, Concat, ArgMax taking the first maximum).
 */
export function predictGated(model: GatedEnsemble, X: Float32Array, nRows: number): Prediction {
  checkGated(model);
  const det = predict(model.detector, X, nRows).probabilities;
  const cat = predict(model.categories, X, nRows).probabilities;
  const k = model.categories.nClasses;
  const width = k + 1;
  const probabilities = new Float32Array(nRows * width);
  const labels = new Int32Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const o = r * width;
    probabilities[o] = det[r * 2];
    const attack = det[r * 2 + 1];
    let best = 0;
    for (let j = 0; j < k; j++) {
      const p = Math.fround(attack * cat[r * k + j]);
      probabilities[o + 1 + j] = p;
      if (p > probabilities[o + best]) best = j + 1;
    }
    labels[r] = best;
  }
  return { labels, probabilities };
}
