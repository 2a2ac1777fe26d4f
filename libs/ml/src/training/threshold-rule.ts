// Chooses a detect threshold from out-of-fold attack scores by the spec's rule. Candidate cuts
// are a 0.005 grid, so a chosen threshold is a round number that does not sit on one row's score.
import { type ThresholdRule } from './train-spec';

const GRID = Array.from({ length: 199 }, (_, i) => Math.round((i + 1) * 5) / 1000);

interface Cut { threshold: number; tpr: number; tnr: number; f1: number }

function cuts(isAttack: ArrayLike<number>, scores: ArrayLike<number>): Cut[] {
  const pos = new Int32Array(GRID.length + 1);
  const neg = new Int32Array(GRID.length + 1);
  let nPos = 0;
  for (let i = 0; i < scores.length; i++) {
    // Index of the first grid cut above the score: the row is positive for every cut below it.
    let lo = 0;
    let hi = GRID.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (GRID[mid] <= scores[i]) lo = mid + 1;
      else hi = mid;
    }
    if (isAttack[i] === 1) {
      pos[lo]++;
      nPos++;
    } else neg[lo]++;
  }
  const nNeg = scores.length - nPos;
  const out: Cut[] = [];
  let tp = nPos;
  let fp = nNeg;
  for (let g = 0; g < GRID.length; g++) {
    tp -= pos[g];
    fp -= neg[g];
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const tpr = nPos > 0 ? tp / nPos : 0;
    out.push({ threshold: GRID[g], tpr, tnr: nNeg > 0 ? 1 - fp / nNeg : 1, f1: precision + tpr > 0 ? (2 * precision * tpr) / (precision + tpr) : 0 });
  }
  return out;
}

/** `isAttack[i]` 1 for attack rows; `scores[i]` the attack score; a row is attack when score >= threshold. */
export function chooseThreshold(rule: ThresholdRule, isAttack: ArrayLike<number>, scores: ArrayLike<number>): number {
  if (rule.kind === 'fixed') return rule.value;
  const all = cuts(isAttack, scores);
  if (rule.kind === 'best-f1') return all.reduce((b, c) => (c.f1 > b.f1 ? c : b)).threshold;
  const allowed = all.filter((c) => c.tnr >= rule.minTnr);
  const pool = allowed.length > 0 ? allowed : [all[all.length - 1]];
  return pool.reduce((b, c) => (c.tpr + c.tnr > b.tpr + b.tnr ? c : b)).threshold;
}
