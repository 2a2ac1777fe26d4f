import { trainGradientBoosting } from './boosting.trainer';
import { loadSample } from './ml-test.fixture';
import { binaryMetrics, classificationReport } from './metrics';
import { predict } from './tree-ensemble.predict';

function logLoss(y: Int32Array, probs: Float32Array, nClasses: number): number {
  let s = 0;
  for (let r = 0; r < y.length; r++) s -= Math.log(Math.max(probs[r * nClasses + y[r]], 1e-12));
  return s / y.length;
}

describe('trainGradientBoosting', () => {
  it('fits binary log-loss: more rounds, lower loss, probabilities that sum to one', async () => {
    const set = await loadSample('binary');
    const short = await trainGradientBoosting(set, { nEstimators: 3, maxDepth: 3 });
    const long = await trainGradientBoosting(set, { nEstimators: 30, maxDepth: 3 });
    expect(long.postTransform).toBe('logistic');
    expect(long.valueWidth).toBe(1);
    const p = predict(long, set.X, set.nRows);
    expect(logLoss(set.y, p.probabilities, 2)).toBeLessThan(logLoss(set.y, predict(short, set.X, set.nRows).probabilities, 2));
    expect(binaryMetrics({ yTrue: set.y, yPred: p.labels }).accuracy).toBeGreaterThan(0.97);
    for (let r = 0; r < set.nRows; r++) expect(p.probabilities[2 * r] + p.probabilities[2 * r + 1]).toBeCloseTo(1, 5);
  });

  it('fits multi-class softmax with one tree per class per round', async () => {
    const set = await loadSample('family');
    const model = await trainGradientBoosting(set, { nEstimators: 10, maxDepth: 3, subsample: 0.8, seed: 3 });
    expect(model.trees.length).toBe(10 * set.nClasses);
    expect(model.postTransform).toBe('softmax');
    const p = predict(model, set.X, set.nRows);
    expect(classificationReport(set.y, p.labels, set.nClasses).accuracy).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed with row subsampling', async () => {
    const set = await loadSample('binary');
    const a = await trainGradientBoosting(set, { nEstimators: 5, subsample: 0.5, seed: 11 });
    const b = await trainGradientBoosting(set, { nEstimators: 5, subsample: 0.5, seed: 11 });
    expect(predict(a, set.X, set.nRows).probabilities).toEqual(predict(b, set.X, set.nRows).probabilities);
  });

  it('rejects a learning rate outside (0, 1]', async () => {
    const set = await loadSample('binary');
    await expect(trainGradientBoosting(set, { learningRate: 0 })).rejects.toMatchObject({ code: 'ML.TRAINING_INPUT_INVALID' });
  });
});
