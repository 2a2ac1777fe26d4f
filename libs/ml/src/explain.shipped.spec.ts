// The shipped models, read back from their ONNX files: TreeSHAP and Saabas contributions of every
// committed real sample row (889 CIC rows, 352 NSL-KDD rows) add up, with the expected value,
// to the probability the trees predict.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_SAMPLES, contractSamplePath, getContract, readFlowFile } from '@vigil/contracts';
import { type ExplainMethod, type Explanation, createTreeExplainer, explain } from './explain';
import { createGatedExplainer, explainGated } from './explain.gated';
import { explanationBackground } from './explain.model';
import { predictGated } from './gated-ensemble.model';
import { createModelInput } from './model-input';
import { isGatedOnnx, readOnnxGatedEnsemble } from './onnx.gated-import';
import { readOnnxTreeEnsemble } from './onnx.import';
import { predict } from './tree-ensemble.predict';

const MODELS = path.resolve(__dirname, '..', '..', '..', 'models');
const SAMPLES = {
  'nsl-kdd': [CONTRACT_SAMPLES.nslKdd],
  cicflowmeter: [CONTRACT_SAMPLES.improved, CONTRACT_SAMPLES.mlcve, CONTRACT_SAMPLES.westernoc2, CONTRACT_SAMPLES.cse2018],
} as const;

async function rowsOf(name: string, method: ExplainMethod = 'treeshap'): Promise<{ X: Float32Array; n: number; k: number; explainRow: (x: Float32Array, k: number) => Explanation; p: Float32Array; nClasses: number }> {
  const dir = path.join(MODELS, name, '1');
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { contract: { id: 'nsl-kdd' | 'cicflowmeter' }; features: string[]; homeNet?: string[]; classLabels: string[] };
  const contract = getContract(m.contract.id);
  const input = createModelInput({ contract, features: m.features, homeNet: m.homeNet });
  const parts: Float32Array[] = [];
  for (const s of SAMPLES[m.contract.id]) for await (const b of readFlowFile(contractSamplePath(s), { batchSize: 10_000 })) parts.push(Float32Array.from(input.gather({ features: b.features, count: b.count, envelopes: b.envelopes })));
  const k = m.features.length;
  const X = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((at, p) => (X.set(p, at), at + p.length), 0);
  const n = X.length / k;
  const bytes = new Uint8Array(readFileSync(path.join(dir, 'model.onnx')));
  const background = await explanationBackground(input, contract);
  if (isGatedOnnx(bytes)) {
    const g = readOnnxGatedEnsemble(bytes).model;
    const e = createGatedExplainer({ model: g, background });
    return { X, n, k, nClasses: m.classLabels.length, p: predictGated(g, X, n).probabilities, explainRow: (x, c) => explainGated(e, x, { classIndex: c, method }).attack };
  }
  const model = readOnnxTreeEnsemble(bytes).model;
  const e = createTreeExplainer({ model, background });
  return { X, n, k, nClasses: model.nClasses, p: predict(model, X, n).probabilities, explainRow: (x, c) => explain(e, x, { output: c, method }) };
}

describe('TreeSHAP and Saabas on the shipped models', () => {
  const cases = (['treeshap', 'saabas'] as const).flatMap((method) => ['threat-detector-cicflowmeter', 'attack-classifier-cicflowmeter', 'threat-detector-nsl-kdd'].map((name) => [method, name] as const));
  it.each(cases)('%s, %s: contributions + expected value = predicted probability (1e-6) on every committed sample row', async (method, name) => {
    const r = await rowsOf(name, method);
    expect(r.n).toBeGreaterThan(300);
    let worst = 0;
    for (let i = 0; i < r.n; i++) {
      const x = r.X.subarray(i * r.k, (i + 1) * r.k);
      const c = r.nClasses === 2 ? 1 : i % r.nClasses;
      worst = Math.max(worst, Math.abs(r.explainRow(x, c).output - r.p[i * r.nClasses + c]));
    }
    expect(worst).toBeLessThan(1e-6);
  }, 120_000);
});
