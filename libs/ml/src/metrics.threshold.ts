// Decision-threshold selection on validation scores: a row is positive when score >= threshold.
import { TrainingInputError } from './training.errors';
import { type Labels } from './metrics';

export type ThresholdStrategy = { readonly kind: 'best-f1' } | { readonly kind: 'max-recall-at-fpr'; readonly maxFpr: number };

export interface ThresholdChoice {
  /** Predict positive when score >= threshold (Infinity = never). */
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly fpr: number;
}

interface Point { threshold: number; tp: number; fp: number }

/** Every distinct cut, highest threshold first, with the counts it yields. */
function sweep(yTrue: Labels, scores: ArrayLike<number>, positive: number): { points: Point[]; nPos: number; nNeg: number } {
  const n = yTrue.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === positive) nPos++;
  const points: Point[] = [{ threshold: Infinity, tp: 0, fp: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; ) {
    const s = scores[order[i]];
    while (i < n && scores[order[i]] === s) {
      if (yTrue[order[i]] === positive) tp++;
      else fp++;
      i++;
    }
    points.push({ threshold: s, tp, fp });
  }
  return { points, nPos, nNeg: n - nPos };
}

function describe(p: Point, nPos: number, nNeg: number): ThresholdChoice {
  const precision = p.tp + p.fp > 0 ? p.tp / (p.tp + p.fp) : 0;
  const recall = nPos > 0 ? p.tp / nPos : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold: p.threshold, precision, recall, f1, fpr: nNeg > 0 ? p.fp / nNeg : 0 };
}

export function selectThreshold(args: { yTrue: Labels; scores: ArrayLike<number>; strategy: ThresholdStrategy; positive?: number }): ThresholdChoice {
  const { yTrue, scores, strategy } = args;
  if (yTrue.length !== scores.length || yTrue.length === 0) throw new TrainingInputError('need equal, non-empty label and score arrays');
  const { points, nPos, nNeg } = sweep(yTrue, scores, args.positive ?? 1);
  const all = points.map((p) => describe(p, nPos, nNeg));
  if (strategy.kind === 'best-f1') {
    return all.reduce((best, c) => (c.f1 > best.f1 ? c : best), all[0]);
  }
  if (!(strategy.maxFpr >= 0 && strategy.maxFpr <= 1)) throw new TrainingInputError('maxFpr must be in [0, 1]', { maxFpr: strategy.maxFpr });
  let chosen = all[0];
  for (const c of all) if (c.fpr <= strategy.maxFpr && c.recall > chosen.recall) chosen = c;
  return chosen;
}
