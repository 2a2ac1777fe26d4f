// ModelExplainer.topOfRow (every threat of `vigil analyze --explain`) against explainRow's top,
// on the shipped models and every committed sample row of their contract: a plain forest with
// context features (CIC detector) and a gated classifier, both classes of part.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_SAMPLES, type ContractId, contractSamplePath, getContract, readFlowFile } from '@vigil/contracts';
import { type ExplainMethod } from './explain';
import { createModelExplainer } from './explain.model';

const MODELS = path.resolve(__dirname, '..', '..', '..', 'models');

async function check(args: { name: string; contract: ContractId; sample: string; method: ExplainMethod; classes: number[]; maxRows: number }): Promise<number> {
  const dir = path.join(MODELS, args.name, '1');
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { features: string[]; classLabels: string[]; homeNet?: string[] };
  const e = await createModelExplainer({ onnx: new Uint8Array(readFileSync(path.join(dir, 'model.onnx'))), contract: getContract(args.contract), features: m.features, classLabels: m.classLabels, homeNet: m.homeNet, method: args.method });
  let checked = 0;
  for await (const b of readFlowFile(contractSamplePath(args.sample), { contract: args.contract })) {
    const width = b.contract.features.length;
    const X = e.gather({ features: b.features, count: b.count, envelopes: b.envelopes });
    for (let r = 0; r < Math.min(b.count, args.maxRows); r++) {
      for (const classIndex of args.classes) {
        const want = e.explainRow({ features: b.features.subarray(r * width, (r + 1) * width), envelope: b.envelopes[r], classIndex }).top;
        expect(e.topOfRow({ X, row: r, classIndex })).toEqual(want);
        checked++;
      }
    }
  }
  return checked;
}

describe('ModelExplainer.topOfRow', () => {
  it('equals explainRow(...).top for Saabas on every sample row (CIC detector with context features; gated NSL-KDD classifier)', async () => {
    expect(await check({ name: 'threat-detector-cicflowmeter', contract: 'cicflowmeter', sample: CONTRACT_SAMPLES.improved, method: 'saabas', classes: [1, 0], maxRows: Infinity })).toBeGreaterThan(300);
    expect(await check({ name: 'attack-classifier-nsl-kdd', contract: 'nsl-kdd', sample: CONTRACT_SAMPLES.nslKdd, method: 'saabas', classes: [0, 1, 3], maxRows: Infinity })).toBeGreaterThan(300);
  }, 60_000);

  it('equals explainRow(...).top for TreeSHAP (first rows: 2.6 ms each)', async () => {
    expect(await check({ name: 'attack-classifier-cicflowmeter', contract: 'cicflowmeter', sample: CONTRACT_SAMPLES.improved, method: 'treeshap', classes: [2], maxRows: 40 })).toBe(40);
  }, 60_000);
});
