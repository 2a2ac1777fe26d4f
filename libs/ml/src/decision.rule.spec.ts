import { attackScore, decide } from './decision.rule';

describe('decide', () => {
  it('detect: positive iff P(positive) >= threshold', () => {
    // 0.25 is exact in float32, so the boundary row is >= and counts as an attack.
    const p = Float32Array.from([0.8, 0.2, 0.75, 0.25, 0.1, 0.9]);
    expect(Array.from(decide({ task: 'detect', nClasses: 2, positiveClass: 1, threshold: 0.25 }, p, 3))).toEqual([0, 1, 1]);
  });

  it('gated classify: attack iff 1 - P(normal) >= threshold, then the best attack class even when normal is the largest', () => {
    // normal 0.6 beats every attack class, but 1 - 0.6 = 0.4 >= 0.3 makes it an attack: Probe (index 2).
    const p = Float32Array.from([0.6, 0.1, 0.25, 0.05, 0, 0.75, 0.05, 0.1, 0.1, 0]);
    const rule = { task: 'classify' as const, nClasses: 5, normalClass: 0, threshold: 0.3 };
    expect(Array.from(decide(rule, p, 2))).toEqual([2, 0]);
    expect(attackScore(rule, p, 0)).toBeCloseTo(0.4, 6);
  });

  it('plain classify: argmax, first maximum wins', () => {
    const p = Float32Array.from([0.2, 0.4, 0.4, 0.5, 0.3, 0.2]);
    expect(Array.from(decide({ task: 'classify', nClasses: 3 }, p, 2))).toEqual([1, 0]);
  });
});
