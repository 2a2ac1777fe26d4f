import { readFileSync } from 'node:fs';
import path from 'node:path';
import { trainRandomForest } from './forest.trainer';
import { loadSample } from './ml-test.fixture';
import { exportOnnx } from './onnx.export';
import { exportGatedOnnx } from './onnx.gated-export';
import { readOnnxGatedEnsemble } from './onnx.gated-import';
import { gateMatchesDetector, readGatedCategories } from './onnx.gate-match';
import { sameEnsemble } from './explain.shared';

const MODELS = path.resolve(__dirname, '..', '..', '..', 'models');
const onnx = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(MODELS, name, '1', 'model.onnx')));

describe('gated model parts from the ONNX bytes', () => {
  it('finds a gate that is the detector, and none in a gate trained otherwise; reads the category forest alone', async () => {
    const set = await loadSample('binary');
    const detector = await trainRandomForest({ ...set, nClasses: 2 }, { nEstimators: 4, seed: 2, workers: 1 });
    const other = await trainRandomForest({ ...set, nClasses: 2 }, { nEstimators: 4, seed: 3, workers: 1 });
    const categories = await trainRandomForest({ ...set, nClasses: 2 }, { nEstimators: 3, seed: 4, workers: 1 });
    const gated = exportGatedOnnx({ detector, categories }, { classLabels: ['normal', 'a', 'b'] });
    expect(gateMatchesDetector({ gated, detector: exportOnnx(detector, { classLabels: ['normal', 'attack'] }) })).toBe(true);
    expect(gateMatchesDetector({ gated, detector: exportOnnx(other, { classLabels: ['normal', 'attack'] }) })).toBe(false);
    expect(gateMatchesDetector({ gated: exportOnnx(detector, { classLabels: [0, 1] }), detector: exportOnnx(detector, { classLabels: [0, 1] }) })).toBe(false);
    // As the full gated reader reads it (values come back as the float32 ONNX stores).
    expect(sameEnsemble(readGatedCategories(gated, set.nFeatures), readOnnxGatedEnsemble(gated).model.categories)).toBe(true);
    expect(() => readGatedCategories(exportOnnx(detector, { classLabels: [0, 1] }), set.nFeatures)).toThrow(expect.objectContaining({ code: 'ML.ONNX_FORMAT_INVALID' }));
  });

  it('the shipped NSL-KDD classifier gates with the shipped NSL-KDD detector, node for node; the CIC pair shares nothing', () => {
    const gated = onnx('attack-classifier-nsl-kdd');
    expect(gateMatchesDetector({ gated, detector: onnx('threat-detector-nsl-kdd') })).toBe(true);
    expect(sameEnsemble(readGatedCategories(gated, 41), readOnnxGatedEnsemble(gated).model.categories)).toBe(true);
    expect(gateMatchesDetector({ gated: onnx('attack-classifier-cicflowmeter'), detector: onnx('threat-detector-cicflowmeter') })).toBe(false);
  });
});
