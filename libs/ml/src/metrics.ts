// Classification metrics. Labels are class indices; precision/recall are 0 when undefined
// (no predicted / no actual positives), as scikit-learn's zero_division=0.
import { TrainingInputError } from './training.errors';

export type Labels = ArrayLike<number>;

export interface BinaryMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface ClassificationReport {
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perClass: readonly ClassMetrics[];
  /** nClasses x nClasses, row = true class, column = predicted class. */
  readonly confusion: Int32Array;
}

function sameLength(a: Labels, b: Labels): void {
  if (a.length !== b.length) throw new TrainingInputError('label arrays differ in length', { a: a.length, b: b.length });
}

const ratio = (num: number, den: number): number => (den > 0 ? num / den : 0);
const harmonic = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

export function binaryMetrics(args: { yTrue: Labels; yPred: Labels; positive?: number }): BinaryMetrics {
  const { yTrue, yPred } = args;
  const positive = args.positive ?? 1;
  sameLength(yTrue, yPred);
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === positive;
    const p = yPred[i] === positive;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
    else tn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { accuracy: ratio(tp + tn, yTrue.length), precision, recall, f1: harmonic(precision, recall), tp, fp, tn, fn };
}

export function confusionMatrix(yTrue: Labels, yPred: Labels, nClasses: number): Int32Array {
  sameLength(yTrue, yPred);
  const m = new Int32Array(nClasses * nClasses);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(t >= 0 && t < nClasses && p >= 0 && p < nClasses)) throw new TrainingInputError('label out of range', { row: i, t, p, nClasses });
    m[t * nClasses + p]++;
  }
  return m;
}

/** Per-class precision/recall/F1/support, accuracy and macro-F1 (mean F1 over classes with support or predictions). */
export function classificationReport(yTrue: Labels, yPred: Labels, nClasses: number): ClassificationReport {
  const confusion = confusionMatrix(yTrue, yPred, nClasses);
  const perClass: ClassMetrics[] = [];
  let correct = 0;
  let f1Sum = 0;
  let present = 0;
  for (let k = 0; k < nClasses; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < nClasses; j++) {
      support += confusion[k * nClasses + j];
      predicted += confusion[j * nClasses + k];
    }
    const tp = confusion[k * nClasses + k];
    correct += tp;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = harmonic(precision, recall);
    perClass.push({ precision, recall, f1, support });
    if (support > 0 || predicted > 0) {
      f1Sum += f1;
      present++;
    }
  }
  return { accuracy: ratio(correct, yTrue.length), macroF1: ratio(f1Sum, present), perClass, confusion };
}

/** ROC AUC of scores for the positive class; tied scores share their average rank. */
export function rocAuc(args: { yTrue: Labels; scores: ArrayLike<number>; positive?: number }): number {
  const { yTrue, scores } = args;
  const positive = args.positive ?? 1;
  sameLength(yTrue, scores);
  const n = yTrue.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (yTrue[order[k]] === positive) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) throw new TrainingInputError('ROC AUC needs both positive and negative rows', { nPos, nNeg });
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
