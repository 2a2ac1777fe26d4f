/**
 * @jest-environment ./libs/inference/ort.jest-environment.js
 */
// The pipeline's explainer against @vigil/ml's: for both shipped classifiers, every committed
// sample row explained for every class gives, bit for bit, the target, expected value, top 5
// features, their values (NaN as null) and contributions of createModelExplainer (Saabas), and
// nothing for a gated model's benign class; explainJson writes exactly JSON.stringify of it.
import { getContract } from '@vigil/contracts';
import { createModelExplainer } from '@vigil/ml';
import { defaultModelsDir, loadShippedModel } from '../model-version.loader';
import { readSampleRows } from '../sample-models';
import { ThreatExplainer } from './threat.explainer';

describe('ThreatExplainer (classification) against @vigil/ml Saabas', () => {
  it.each(['nsl-kdd', 'cicflowmeter'] as const)('attack-classifier-%s: same explanation for every sample row and class', async (contract) => {
    const runner = await loadShippedModel({ modelsDir: defaultModelsDir(), name: `attack-classifier-${contract}` });
    try {
      const threat = await ThreatExplainer.create(runner);
      const { features, classLabels, homeNet } = runner.manifest;
      const lib = await createModelExplainer({ onnx: runner.onnx, contract: getContract(contract), features, classLabels, homeNet, method: 'saabas' });
      const sample = await readSampleRows(contract);
      const width = getContract(contract).features.length;
      const X = threat.gather(sample.features, sample.count, sample.envelopes);
      const gated = runner.manifest.normalClass !== undefined;
      expect(sample.count).toBeGreaterThan(300);
      for (let r = 0; r < sample.count; r++) {
        for (let k = 0; k < classLabels.length; k++) {
          const got = threat.explain(X, r, k);
          const json = threat.explainJson(X, r, k);
          if (gated && k === 0) {
            expect(got).toBeUndefined();
            expect(json).toBeUndefined();
            continue;
          }
          const want = lib.explainRow({ features: sample.features.subarray(r * width, (r + 1) * width), envelope: sample.envelopes[r], classIndex: k, k: 5 });
          expect(got).toEqual({
            method: 'saabas', target: want.target, expectedValue: want.explanation.expectedValue,
            top: want.top.map((t) => ({ feature: t.feature, value: Number.isNaN(t.value) ? null : t.value, contribution: t.contribution })),
          });
          if (json !== JSON.stringify(got)) throw new Error(`row ${r} class ${k}: explainJson ${json} is not JSON.stringify(explain) ${JSON.stringify(got)}`);
        }
      }
    } finally {
      await runner.release();
    }
  }, 120_000);
});
