/**
 * @jest-environment ./libs/inference/ort.jest-environment.js
 */
// Golden vectors: every committed real sample row through ModelRunner (onnxruntime) must give
// the label and probabilities of @vigil/ml's TypeScript walker over the same trees, for a
// detector and a classifier of each contract, including a model reading a reordered subset.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONTRACT_SAMPLES, type FlowBatch, contractSamplePath, getContract, readFlowFile } from '@vigil/contracts';
import { createModelInput, exportOnnx, predict, trainDecisionTree } from '@vigil/ml';
import { ModelRunner } from './model-runner';
import { loadModelVersion, loadShippedModel } from './model-version.loader';
import { type SampleModel, type SampleRows, readSampleRows, trainSampleModels } from './sample-models';

/** The manifest's rule: a detect model says attack when P(attack) >= threshold (the walker's own label is P > 0.5). */
function expectedLabels(model: SampleModel, walker: { labels: Int32Array; probabilities: Float32Array }): number[] {
  if (model.manifest.task !== 'detect') return Array.from(walker.labels);
  return Array.from(walker.labels, (_, r) => (walker.probabilities[r * 2 + 1] >= (model.manifest.threshold as number) ? 1 : 0));
}

describe('ModelRunner on models trained from the committed samples', () => {
  let dir: string;
  let models: SampleModel[];
  const rows = new Map<string, SampleRows>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-models-'));
    models = await trainSampleModels(dir);
    for (const c of ['nsl-kdd', 'cicflowmeter'] as const) rows.set(c, await readSampleRows(c));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function modelInput(model: SampleModel, sample: SampleRows): Float32Array {
    const all = getContract(sample.contract).features.map((f) => f.name);
    const cols = model.manifest.features.map((f) => all.indexOf(f));
    const X = new Float32Array(sample.count * cols.length);
    for (let r = 0; r < sample.count; r++) cols.forEach((c, j) => (X[r * cols.length + j] = sample.features[r * all.length + c]));
    return X;
  }

  it.each([0, 1, 2, 3])('model %i: labels and probabilities match the TypeScript walker on every sample row', async (i) => {
    const model = models[i];
    const sample = rows.get(model.manifest.contract.id) as SampleRows;
    const runner = await loadShippedModel({ modelsDir: dir, name: model.name });
    try {
      expect(runner.ref).toEqual({ name: model.name, version: 1 });
      const expected = predict(model.ensemble, modelInput(model, sample), sample.count);
      const got = await runner.run(sample.features, sample.count);
      expect(Array.from(got.labels)).toEqual(expectedLabels(model, expected));
      let maxDiff = 0;
      for (let k = 0; k < expected.probabilities.length; k++) maxDiff = Math.max(maxDiff, Math.abs(expected.probabilities[k] - got.probabilities[k]));
      expect(maxDiff).toBeLessThan(1e-5);
      if (model.manifest.task === 'detect') {
        const p = Array.from(got.positive ?? []);
        expect(p).toEqual(Array.from({ length: sample.count }, (_, r) => got.probabilities[r * 2 + 1]));
        expect(Array.from(got.decisions ?? [])).toEqual(p.map((v) => (v >= 0.5 ? 1 : 0)));
        // The sample models learned something real: most attacks are caught.
        const caught = sample.isAttack.filter((a, r) => a && got.decisions?.[r] === 1).length;
        expect(caught / sample.isAttack.filter(Boolean).length).toBeGreaterThan(0.8);
      }
    } finally {
      await runner.release();
    }
  });

  it('passes NaN and ±Infinity to the model untouched, as the walker sees them', async () => {
    const model = models[2];
    const sample = rows.get('cicflowmeter') as SampleRows;
    const features = sample.features.slice();
    const width = getContract('cicflowmeter').features.length;
    for (let r = 0; r < sample.count; r += 3) features[r * width + (r % width)] = r % 2 === 0 ? NaN : Infinity;
    for (let r = 1; r < sample.count; r += 5) features[r * width + ((r * 7) % width)] = -Infinity;
    const runner = await loadModelVersion(model.dir);
    try {
      const got = await runner.run(features, sample.count);
      const expected = predict(model.ensemble, features, sample.count);
      expect(Array.from(got.labels)).toEqual(expectedLabels(model, expected));
      for (let k = 0; k < expected.probabilities.length; k++) expect(Math.abs(expected.probabilities[k] - got.probabilities[k])).toBeLessThan(1e-5);
    } finally {
      await runner.release();
    }
  });

  it('serialises concurrent runs and gives the same answer at batch 1 as in a big batch', async () => {
    const sample = rows.get('nsl-kdd') as SampleRows;
    const runner = await loadShippedModel({ modelsDir: dir, name: 'threat-detector-nsl-kdd' });
    try {
      const whole = Array.from((await runner.run(sample.features, sample.count)).positive ?? []);
      const width = getContract('nsl-kdd').features.length;
      const singles = await Promise.all(
        Array.from({ length: 40 }, (_, r) => runner.run(sample.features.subarray(r * width, (r + 1) * width), 1).then((o) => o.positive?.[0])),
      );
      expect(singles).toEqual(whole.slice(0, 40));
    } finally {
      await runner.release();
    }
  });

  it('feeds context features (home-net membership of the envelope IPs) the way training gathers them', async () => {
    const contract = getContract('cicflowmeter');
    const batch = await firstBatch(contractSamplePath(CONTRACT_SAMPLES.improved));
    const features = ['Flow Duration', 'Total Fwd Packets', 'ctx.src_in_home_net', 'ctx.dst_in_home_net'];
    const homeNet = ['192.168.10.0/24'];
    const X = createModelInput({ contract, features, homeNet }).gather({ features: batch.features, count: batch.count, envelopes: batch.envelopes });
    const y = Int32Array.from(batch.labels, (l) => (l?.isAttack ? 1 : 0));
    const ensemble = await trainDecisionTree({ X, nRows: batch.count, nFeatures: features.length, y, nClasses: 2 }, { maxDepth: 6 });
    const manifest = { ...models[2].manifest, name: 'ctx-detector', features, homeNet };
    const runner = await ModelRunner.create({ manifest, model: exportOnnx(ensemble, { classLabels: ['benign', 'attack'] }) });
    try {
      expect(runner.needsEnvelopes).toBe(true);
      const got = await runner.run(batch.features, batch.count, batch.envelopes);
      expect(Array.from(got.probabilities)).toEqual(Array.from(predict(ensemble, X, batch.count).probabilities));
      await expect(runner.run(batch.features, batch.count)).rejects.toMatchObject({ code: 'INFERENCE.INPUT_INVALID' });
    } finally {
      await runner.release();
    }
  });

  describe('refuses what it cannot run, with a stable code', () => {
    it('no version folder: INFERENCE.MODEL_NOT_FOUND', async () => {
      await expect(loadShippedModel({ modelsDir: dir, name: 'threat-detector-nowhere' })).rejects.toMatchObject({ code: 'INFERENCE.MODEL_NOT_FOUND' });
    });

    it('a manifest naming features the contract lacks: INFERENCE.MODEL_MANIFEST_INVALID', async () => {
      const bad = path.join(dir, 'broken', '2');
      mkdirSync(bad, { recursive: true });
      writeFileSync(path.join(bad, 'manifest.json'), JSON.stringify({ ...models[0].manifest, name: 'broken', version: 2, features: ['no_such_feature'] }));
      writeFileSync(path.join(bad, 'model.onnx'), Uint8Array.from([1, 2, 3]));
      await expect(loadShippedModel({ modelsDir: dir, name: 'broken' })).rejects.toMatchObject({ code: 'INFERENCE.MODEL_MANIFEST_INVALID' });
      writeFileSync(path.join(bad, 'manifest.json'), '{"name":');
      await expect(loadModelVersion(bad)).rejects.toMatchObject({ code: 'INFERENCE.MODEL_MANIFEST_INVALID' });
    });

    it('an ONNX file that does not fit its manifest: INFERENCE.MODEL_MANIFEST_INVALID', async () => {
      const other = path.join(dir, 'mismatch', '1');
      mkdirSync(other, { recursive: true });
      writeFileSync(path.join(other, 'manifest.json'), JSON.stringify({ ...models[1].manifest, name: 'mismatch' }));
      const { readFileSync } = await import('node:fs');
      writeFileSync(path.join(other, 'model.onnx'), readFileSync(path.join(models[0].dir, 'model.onnx')));
      await expect(loadModelVersion(other)).rejects.toMatchObject({ code: 'INFERENCE.MODEL_MANIFEST_INVALID' });
    });
  });
});

async function firstBatch(file: string): Promise<FlowBatch> {
  for await (const batch of readFlowFile(file, { contract: 'cicflowmeter', batchSize: 4096 })) return batch;
  throw new Error(`${file} holds no rows`);
}
