import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { defaultModelsDir, loadModelVersion } from '../model-version.loader';
import { type GoldenVectors, goldenFeatures, walkerPredict } from './golden.vectors';

// Regenerate with `node tools/build.js && node tools/golden-vectors.js` after a shipped model changes.
const goldenDir = path.join(__dirname, '..', '..', 'test-data', 'golden');
const files = readdirSync(goldenDir).filter((f) => f.endsWith('.json')).sort();

describe('golden vectors of the shipped models', () => {
  it('covers all four shipped models', () => {
    expect(files).toEqual(['attack-classifier-cicflowmeter.json', 'attack-classifier-nsl-kdd.json', 'threat-detector-cicflowmeter.json', 'threat-detector-nsl-kdd.json']);
  });

  describe.each(files)('%s', (file) => {
    const golden = JSON.parse(readFileSync(path.join(goldenDir, file), 'utf8')) as GoldenVectors;
    const modelDir = path.join(defaultModelsDir(), golden.model, String(golden.version));
    const features = goldenFeatures(golden);
    const count = golden.rows.length;
    const envelopes = golden.rows.map((r) => r.envelope);
    const n = golden.classLabels.length;

    function expectMatches(labels: readonly string[], probabilities: Float32Array): void {
      expect(labels).toEqual(golden.rows.map((r) => r.label));
      let worst = 0;
      golden.rows.forEach((r, i) => r.probabilities.forEach((p, k) => (worst = Math.max(worst, Math.abs(p - probabilities[i * n + k])))));
      expect(worst).toBeLessThan(1e-5);
    }

    it('is the committed model (sha256) and holds real rows of more than one class', () => {
      expect(createHash('sha256').update(readFileSync(path.join(modelDir, 'model.onnx'))).digest('hex')).toBe(golden.sha256);
      expect(new Set(golden.rows.map((r) => r.label)).size).toBeGreaterThan(1);
    });

    it('onnxruntime through ModelRunner gives the committed labels and probabilities (< 1e-5)', async () => {
      const runner = await loadModelVersion(modelDir);
      try {
        const out = await runner.run(features, count, envelopes);
        expectMatches(Array.from(out.labels, (c) => golden.classLabels[c]), out.probabilities);
      } finally {
        await runner.release();
      }
    });

    it("@vigil/ml's TypeScript walker gives the committed labels and probabilities (< 1e-5)", () => {
      const out = walkerPredict({ modelDir, features, count, envelopes });
      expectMatches(Array.from(out.labels, (c) => golden.classLabels[c]), out.probabilities);
    });
  });
});
