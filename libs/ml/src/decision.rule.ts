// The decision a model version's manifest prescribes, applied to its probability rows. One
// function for training (threshold choice, validation), `vigil evaluate` and the services,
// so "what the model said" never differs between them.
import { TrainingInputError } from './training.errors';

export interface DecisionRule {
  readonly task: 'detect' | 'classify';
  readonly nClasses: number;
  /** detect: the attack class; the row is that class iff P(positiveClass) >= threshold. */
  readonly positiveClass?: number;
  /** classify: the benign class; the row is an attack iff 1 - P(normalClass) >= threshold, then the most likely attack class. */
  readonly normalClass?: number;
  readonly threshold?: number;
}

/** The attack score a rule thresholds: P(positive) for detect, 1 - P(normal) for gated classify, NaN otherwise. */
export function attackScore(rule: DecisionRule, probabilities: Float32Array, row: number): number {
  const o = row * rule.nClasses;
  if (rule.task === 'detect' && rule.positiveClass !== undefined) return probabilities[o + rule.positiveClass];
  if (rule.normalClass !== undefined) return 1 - probabilities[o + rule.normalClass];
  return NaN;
}

function argmax(p: Float32Array, o: number, n: number, skip: number): number {
  let best = skip === 0 ? 1 : 0;
  for (let k = best + 1; k < n; k++) if (k !== skip && p[o + k] > p[o + best]) best = k;
  return best;
}

/** Predicted class index per row under the rule. */
export function decide(rule: DecisionRule, probabilities: Float32Array, count: number, out = new Int32Array(count)): Int32Array {
  const n = rule.nClasses;
  const t = rule.threshold;
  if (rule.task === 'detect') {
    const pos = rule.positiveClass;
    if (pos === undefined || t === undefined || n !== 2) throw new TrainingInputError('a detect rule needs two classes, positiveClass and threshold', { nClasses: n });
    for (let r = 0; r < count; r++) out[r] = probabilities[r * n + pos] >= t ? pos : 1 - pos;
    return out;
  }
  const normal = rule.normalClass;
  if (normal === undefined) {
    for (let r = 0; r < count; r++) out[r] = argmax(probabilities, r * n, n, -1);
    return out;
  }
  if (t === undefined) throw new TrainingInputError('a gated classify rule needs a threshold');
  for (let r = 0; r < count; r++) {
    const o = r * n;
    out[r] = 1 - probabilities[o + normal] >= t ? argmax(probabilities, o, n, normal) : normal;
  }
  return out;
}
