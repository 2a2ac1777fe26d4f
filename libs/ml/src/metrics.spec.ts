import { binaryMetrics, classificationReport, confusionMatrix, rocAuc } from './metrics';
import { selectThreshold } from './metrics.threshold';

describe('binaryMetrics', () => {
  it('counts tp/fp/tn/fn for the chosen positive class', () => {
    // y:    1 1 1 0 0 0 0
    // pred: 1 0 1 1 0 0 0  -> tp 2, fn 1, fp 1, tn 3
    const m = binaryMetrics({ yTrue: [1, 1, 1, 0, 0, 0, 0], yPred: [1, 0, 1, 1, 0, 0, 0] });
    expect(m).toMatchObject({ tp: 2, fn: 1, fp: 1, tn: 3 });
    expect(m.accuracy).toBeCloseTo(5 / 7, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    const asZero = binaryMetrics({ yTrue: [1, 1, 1, 0, 0, 0, 0], yPred: [1, 0, 1, 1, 0, 0, 0], positive: 0 });
    expect(asZero.precision).toBeCloseTo(3 / 4, 12);
    expect(asZero.recall).toBeCloseTo(3 / 4, 12);
  });

  it('reports 0 precision when nothing is predicted positive', () => {
    expect(binaryMetrics({ yTrue: [1, 0], yPred: [0, 0] })).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('classificationReport', () => {
  it('gives the confusion matrix, per-class scores and macro-F1', () => {
    const yTrue = [0, 0, 1, 1, 2, 2];
    const yPred = [0, 1, 1, 1, 2, 0];
    expect(Array.from(confusionMatrix(yTrue, yPred, 3))).toEqual([1, 1, 0, 0, 2, 0, 1, 0, 1]);
    const r = classificationReport(yTrue, yPred, 3);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    // class 0: p 1/2 r 1/2; class 1: p 2/3 r 1 -> f1 0.8; class 2: p 1 r 1/2 -> f1 2/3
    expect(r.perClass.map((c) => c.f1)).toEqual([expect.closeTo(0.5, 12), expect.closeTo(0.8, 12), expect.closeTo(2 / 3, 12)]);
    expect(r.perClass.map((c) => c.support)).toEqual([2, 2, 2]);
    expect(r.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
  });
});

describe('rocAuc', () => {
  it('matches the pair-counting definition without ties', () => {
    // positives 0.35, 0.8 vs negatives 0.1, 0.4: 3 of 4 pairs ranked right
    expect(rocAuc({ yTrue: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8] })).toBeCloseTo(0.75, 12);
  });

  it('counts tied positive/negative pairs as one half', () => {
    // pairs: (0.5,0.5)=0.5, (0.5,0.2)=1, (0.9,0.5)=1, (0.9,0.2)=1 -> 3.5 / 4
    expect(rocAuc({ yTrue: [0, 1, 0, 1], scores: [0.5, 0.5, 0.2, 0.9] })).toBeCloseTo(0.875, 12);
    expect(rocAuc({ yTrue: [0, 1, 0, 1], scores: [0.3, 0.3, 0.3, 0.3] })).toBeCloseTo(0.5, 12);
  });

  it('refuses a single-class input', () => {
    expect(() => rocAuc({ yTrue: [1, 1], scores: [0.2, 0.3] })).toThrow(expect.objectContaining({ code: 'ML.TRAINING_INPUT_INVALID' }));
  });
});

describe('selectThreshold', () => {
  const yTrue = [0, 0, 0, 0, 1, 0, 1, 1];
  const scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9];

  it('picks the cut with the best F1', () => {
    // >= 0.5: tp 3, fp 1 -> p 0.75 r 1 f1 6/7 (best); >= 0.7: tp 2 fp 0 -> f1 0.8
    const c = selectThreshold({ yTrue, scores, strategy: { kind: 'best-f1' } });
    expect(c.threshold).toBe(0.5);
    expect(c.f1).toBeCloseTo(6 / 7, 12);
    expect(c.fpr).toBeCloseTo(1 / 5, 12);
  });

  it('picks the highest recall whose false-positive rate stays under the target', () => {
    const strict = selectThreshold({ yTrue, scores, strategy: { kind: 'max-recall-at-fpr', maxFpr: 0 } });
    expect(strict.threshold).toBe(0.7);
    expect(strict.recall).toBeCloseTo(2 / 3, 12);
    const loose = selectThreshold({ yTrue, scores, strategy: { kind: 'max-recall-at-fpr', maxFpr: 0.2 } });
    expect(loose.threshold).toBe(0.5);
    expect(loose.recall).toBe(1);
  });
});
