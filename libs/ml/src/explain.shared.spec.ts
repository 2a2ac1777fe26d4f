import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getContract } from '@vigil/contracts';
import { explain } from './explain';
import { createModelExplainer } from './explain.model';
import { TreeExplainerPool } from './explain.shared';
import { trainRandomForest } from './forest.trainer';
import { loadSample } from './ml-test.fixture';

describe('TreeExplainerPool', () => {
  it('hands out one explainer per distinct forest and background', async () => {
    const set = await loadSample('binary');
    const a = await trainRandomForest({ ...set, nClasses: 2 }, { nEstimators: 3, seed: 2, workers: 1 });
    const again = await trainRandomForest({ ...set, nClasses: 2 }, { nEstimators: 3, seed: 2, workers: 1 });
    const b = await trainRandomForest({ ...set, nClasses: 2 }, { nEstimators: 3, seed: 5, workers: 1 });
    const background = { X: set.X.slice(0, 200 * set.nFeatures), nRows: 200 };
    const pool = new TreeExplainerPool();
    const ea = pool.explainer(a, background);
    expect(pool.explainer(again, { X: background.X.slice(), nRows: 200 })).toBe(ea);
    expect(pool.explainer(b, background)).not.toBe(ea);
    expect(pool.explainer(a, { X: set.X.slice(0, 100 * set.nFeatures), nRows: 100 })).not.toBe(ea);
    expect(pool.size).toBe(3);
    const x = set.X.subarray(0, set.nFeatures);
    expect(explain(ea, x).output).toBeCloseTo(explain(pool.explainer(again, background), x).output, 12);
  });

  it('shares the shipped NSL-KDD detector forest between the detector and the classifier gate, with the same attributions', async () => {
    const models = path.resolve(__dirname, '..', '..', '..', 'models');
    const load = (name: string): { onnx: Uint8Array; features: string[]; classLabels: string[] } => {
      const m = JSON.parse(readFileSync(path.join(models, name, '1', 'manifest.json'), 'utf8')) as { features: string[]; classLabels: string[] };
      return { onnx: new Uint8Array(readFileSync(path.join(models, name, '1', 'model.onnx'))), features: m.features, classLabels: m.classLabels };
    };
    const contract = getContract('nsl-kdd');
    const pool = new TreeExplainerPool();
    const detector = await createModelExplainer({ ...load('threat-detector-nsl-kdd'), contract, method: 'saabas', pool });
    const classifier = await createModelExplainer({ ...load('attack-classifier-nsl-kdd'), contract, pool });
    // The detector forest once, plus the category forest.
    expect(pool.size).toBe(2);
    const features = new Float32Array(contract.features.length);
    const gate = classifier.explainRow({ features, classIndex: 1 }).gate;
    const alone = await createModelExplainer({ ...load('threat-detector-nsl-kdd'), contract });
    expect(gate?.explanation.contributions).toEqual(alone.explainRow({ features, classIndex: 1 }).explanation.contributions);
    expect(detector.method).toBe('saabas');
  }, 60_000);
});
