import { type GatedEnsemble, predictGated } from './gated-ensemble.model';
import { trainRandomForest } from './forest.trainer';
import { loadSample } from './ml-test.fixture';
import { exportGatedOnnx } from './onnx.gated-export';
import { isGatedOnnx, readOnnxGatedEnsemble } from './onnx.gated-import';
import { readOnnxTreeEnsemble } from './onnx.import';

async function smallGated(): Promise<{ model: GatedEnsemble; X: Float32Array; n: number; labels: string[] }> {
  const set = await loadSample('family');
  const normal = set.classNames.indexOf('normal');
  const attackNames = set.classNames.filter((c) => c !== 'normal');
  const detector = await trainRandomForest({ ...set, y: Int32Array.from(set.y, (k) => (k === normal ? 0 : 1)), nClasses: 2 }, { nEstimators: 8, seed: 2, workers: 1 });
  const rows = Array.from(set.y.keys()).filter((r) => set.y[r] !== normal);
  const X = new Float32Array(rows.length * set.nFeatures);
  rows.forEach((r, i) => X.set(set.X.subarray(r * set.nFeatures, (r + 1) * set.nFeatures), i * set.nFeatures));
  const y = Int32Array.from(rows, (r) => attackNames.indexOf(set.classNames[set.y[r]]));
  const categories = await trainRandomForest({ X, nRows: rows.length, nFeatures: set.nFeatures, y, nClasses: attackNames.length }, { nEstimators: 6, seed: 3, workers: 1, classWeight: 'balanced' });
  return { model: { detector, categories }, X: set.X, n: set.nRows, labels: ['normal', ...attackNames] };
}

describe('gated ONNX graph', () => {
  it('round-trips both ensembles and the labels, and predicts identical gated probabilities', async () => {
    const g = await smallGated();
    const bytes = exportGatedOnnx(g.model, { classLabels: g.labels, featureNames: Array.from({ length: g.model.detector.nFeatures }, (_, i) => `f${i}`) });
    expect(isGatedOnnx(bytes)).toBe(true);
    const back = readOnnxGatedEnsemble(bytes);
    expect(back.classLabels).toEqual(g.labels);
    expect(back.featureNames?.[3]).toBe('f3');
    const a = predictGated(g.model, g.X, g.n);
    const b = predictGated(back.model, g.X, g.n);
    expect(Array.from(b.probabilities)).toEqual(Array.from(a.probabilities));
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    // Rows sum to one: P(normal) + P(attack) × ΣP(category) with ΣP(category) = 1.
    for (let r = 0; r < g.n; r++) {
      const row = a.probabilities.subarray(r * g.labels.length, (r + 1) * g.labels.length);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
  });

  it('tells the single-ensemble reader to use the gated one', async () => {
    const g = await smallGated();
    const bytes = exportGatedOnnx(g.model, { classLabels: g.labels });
    expect(() => readOnnxTreeEnsemble(bytes)).toThrow('readOnnxGatedEnsemble');
  });
});
