// The gated classifier graph (two TreeEnsembleClassifiers + Split/Mul/Concat/ArgMax/LabelEncoder)
// must give onnxruntime the same probabilities (< 1e-5) and labels as @vigil/ml's predictGated.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readFlowFile } from '@vigil/contracts';
import { OnnxModelSession } from '@vigil/inference';
import { predictGated, readOnnxGatedEnsemble } from '@vigil/ml';
import { repoRoot } from '../train/repo.paths';

const ROOT = repoRoot(__dirname);
const KDD = path.resolve(ROOT, '..', 'shared', 'datasets', 'nsl-kdd', 'KDDTrain+.txt.gz');
const SHIPPED = path.join(ROOT, 'models', 'attack-classifier-nsl-kdd', '1', 'model.onnx');
const RUN = existsSync(KDD) && existsSync(SHIPPED);

async function rows(file: string, max: number): Promise<{ X: Float32Array; n: number }> {
  const parts: Float32Array[] = [];
  let n = 0;
  for await (const b of readFlowFile(file, { contract: 'nsl-kdd', batchSize: 4096 })) {
    const take = Math.min(b.count, max - n);
    parts.push(b.features.slice(0, take * b.contract.features.length));
    n += take;
    if (n >= max) break;
  }
  const X = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((at, p) => (X.set(p, at), at + p.length), 0);
  return { X, n };
}

(RUN ? describe : describe.skip)(`shipped gated classifier: TypeScript vs onnxruntime${RUN ? '' : ' (skipped: ../shared/datasets/nsl-kdd or models/attack-classifier-nsl-kdd/1 absent)'}`, () => {
  it('agrees on 10,000 real KDDTrain+ rows within 1e-5, every label equal', async () => {
    const bytes = new Uint8Array(readFileSync(SHIPPED));
    const gated = readOnnxGatedEnsemble(bytes);
    const { X, n } = await rows(KDD, 10_000);
    expect(n).toBe(10_000);
    const ts = predictGated(gated.model, X, n);
    const session = await OnnxModelSession.create({ model: bytes, classLabels: gated.classLabels });
    try {
      const ort = await session.run(X, n);
      let worst = 0;
      for (let i = 0; i < ts.probabilities.length; i++) worst = Math.max(worst, Math.abs(ts.probabilities[i] - ort.probabilities[i]));
      expect(worst).toBeLessThan(1e-5);
      expect(Array.from(ort.labels)).toEqual(Array.from(ts.labels));
      expect(new Set(ts.labels).size).toBeGreaterThan(2);
    } finally {
      await session.release();
    }
  });
});
