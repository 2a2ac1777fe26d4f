// One report shape for a model's predictions on labelled rows: training validation (out of
// fold) and `vigil evaluate` both produce it, from the manifest's decision rule.
import { type DecisionRule, attackScore, decide } from './decision.rule';
import { binaryMetrics, classificationReport, rocAuc } from './metrics';

export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface EvaluationReport {
  readonly rows: number;
  readonly classLabels: readonly string[];
  readonly threshold: number | null;
  readonly accuracy: number;
  readonly macroF1: number;
  /** Binary: of the attack class. Multi-class: macro averages over classes. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Binary: AUC of P(attack). Multi-class with a benign class: AUC of 1 - P(benign) for attack vs benign. */
  readonly rocAuc: number | null;
  /** Attack vs benign, whatever the classes (null without a benign class or without both kinds of rows). */
  readonly attackVsBenign: { readonly tnr: number; readonly recall: number; readonly precision: number; readonly balancedAccuracy: number } | null;
  readonly perClass: Readonly<Record<string, ClassScores>>;
  /** Row = true class, column = predicted class, both in classLabels order. */
  readonly confusion: readonly (readonly number[])[];
  /** Unmerged view: per original canonical label, how its rows were predicted. */
  readonly byLabel: Readonly<Record<string, { readonly rows: number; readonly predicted: Readonly<Record<string, number>> }>>;
}

export interface EvaluationInput {
  readonly rule: DecisionRule;
  readonly classLabels: readonly string[];
  /** Index of the benign class, if the model has one. */
  readonly benignClass: number | null;
  readonly yTrue: Int32Array;
  /** Original canonical label of each row (for byLabel). */
  readonly originalLabels: readonly string[];
  /** 1 for attack rows (true label), per row. */
  readonly isAttack: Uint8Array;
  readonly probabilities: Float32Array;
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

function attackView(input: EvaluationInput, yPred: Int32Array): EvaluationReport['attackVsBenign'] {
  const b = input.benignClass;
  if (b === null) return null;
  const predAttack = Int32Array.from(yPred, (p) => (p === b ? 0 : 1));
  const m = binaryMetrics({ yTrue: input.isAttack, yPred: predAttack });
  if (m.tp + m.fn === 0 || m.tn + m.fp === 0) return null;
  const tnr = m.tn / (m.tn + m.fp);
  return { tnr: round(tnr), recall: round(m.recall), precision: round(m.precision), balancedAccuracy: round((tnr + m.recall) / 2) };
}

function attackAuc(input: EvaluationInput): number | null {
  const n = input.yTrue.length;
  const scores = new Float64Array(n);
  for (let r = 0; r < n; r++) scores[r] = attackScore(input.rule, input.probabilities, r);
  const hasBoth = input.isAttack.includes(0) && input.isAttack.includes(1);
  if (!hasBoth || Number.isNaN(scores[0])) return null;
  return round(rocAuc({ yTrue: input.isAttack, scores }));
}

function byLabel(input: EvaluationInput, yPred: Int32Array): EvaluationReport['byLabel'] {
  const out: Record<string, { rows: number; predicted: Record<string, number> }> = {};
  input.originalLabels.forEach((label, r) => {
    const entry = (out[label] ??= { rows: 0, predicted: {} });
    entry.rows++;
    const cls = input.classLabels[yPred[r]];
    entry.predicted[cls] = (entry.predicted[cls] ?? 0) + 1;
  });
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

export function evaluationReport(input: EvaluationInput): EvaluationReport {
  const n = input.yTrue.length;
  const c = input.classLabels.length;
  const yPred = decide(input.rule, input.probabilities, n);
  const rep = classificationReport(input.yTrue, yPred, c);
  const perClass = Object.fromEntries(input.classLabels.map((name, k) => {
    const m = rep.perClass[k];
    return [name, { precision: round(m.precision), recall: round(m.recall), f1: round(m.f1), support: m.support }];
  }));
  const binary = c === 2 && input.rule.positiveClass !== undefined ? binaryMetrics({ yTrue: input.yTrue, yPred, positive: input.rule.positiveClass }) : null;
  // Macro averages over the classes that occur (as truth or prediction), like macroF1.
  const present = rep.perClass.filter((m, k) => m.support > 0 || rep.confusion.some((v, i) => i % c === k && v > 0));
  const mean = (key: 'precision' | 'recall' | 'f1'): number => (present.length > 0 ? present.reduce((s, m) => s + m[key], 0) / present.length : 0);
  const confusion = Array.from({ length: c }, (_, t) => Array.from(rep.confusion.subarray(t * c, (t + 1) * c)));
  return {
    rows: n, classLabels: [...input.classLabels], threshold: input.rule.threshold ?? null,
    accuracy: round(rep.accuracy), macroF1: round(rep.macroF1),
    precision: round(binary ? binary.precision : mean('precision')),
    recall: round(binary ? binary.recall : mean('recall')),
    f1: round(binary ? binary.f1 : mean('f1')),
    rocAuc: attackAuc(input), attackVsBenign: attackView(input, yPred), perClass, confusion, byLabel: byLabel(input, yPred),
  };
}
