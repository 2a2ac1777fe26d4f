import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getContract } from '@vigil/contracts';
import { defaultModelsDir, trainSampleVersion, type SampleVersion } from '@vigil/inference';
import { exportOnnx } from '@vigil/ml';
import { ModelValidationService } from './model-validation.service';

// Real models trained on the committed samples, run by real onnxruntime (no service involved).
describe('ModelValidationService', () => {
  const validator = new ModelValidationService({ maxModelBytes: 1024 * 1024, goldenRows: 256 });
  let detector: SampleVersion;
  let classifier: SampleVersion;

  beforeAll(async () => {
    detector = await trainSampleVersion({ contract: 'cicflowmeter', task: 'detect', name: 'det' });
    const cic = getContract('cicflowmeter').features.map((f) => f.name);
    classifier = await trainSampleVersion({ contract: 'nsl-kdd', task: 'classify', name: 'cls', features: getContract('nsl-kdd').features.map((f) => f.name).slice(0, 20).reverse() });
    expect(cic.length).toBeGreaterThan(12);
  });

  const reject = (manifest: unknown, model: Uint8Array) => validator.validate(manifest, model).then(() => 'accepted', (e: { code: string; message: string }) => `${e.code} | ${e.message}`);

  it('accepts real models and reports their sha256, size and golden rows', async () => {
    const ok = await validator.validate(detector.manifest, detector.model);
    expect(ok).toMatchObject({ sizeBytes: detector.model.byteLength, goldenRows: 256, manifest: { name: 'det', task: 'detect' } });
    expect(ok.sha256).toMatch(/^[0-9a-f]{64}$/);
    const sub = await validator.validate(classifier.manifest, classifier.model);
    expect(sub.manifest.features).toHaveLength(20);
  });

  it('accepts every shipped model, including those that read envelope-derived context features', async () => {
    const modelsDir = defaultModelsDir();
    const names = readdirSync(modelsDir).filter((n) => !n.includes('.')).sort();
    expect(names).toHaveLength(4);
    const big = new ModelValidationService({ maxModelBytes: 64 * 1024 * 1024, goldenRows: 256 });
    for (const name of names) {
      const dir = join(modelsDir, name, '1');
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      const ok = await big.validate(manifest, readFileSync(join(dir, 'model.onnx')));
      expect(ok.manifest.name).toBe(name);
    }
  });

  it('fills in a missing version number (the registry assigns it)', async () => {
    const { version: _omit, ...rest } = detector.manifest;
    expect((await validator.validate(rest, detector.model)).manifest.version).toBe(1);
  });

  it('rejects an artifact over the size cap', async () => {
    const small = new ModelValidationService({ maxModelBytes: 2_000, goldenRows: 10 });
    await expect(small.validate(detector.manifest, detector.model)).rejects.toMatchObject({ code: 'REGISTRY.MODEL_TOO_LARGE', details: { maxBytes: 2_000 } });
  });

  it('rejects bytes onnxruntime cannot load', async () => {
    const corrupt = detector.model.slice(0, Math.floor(detector.model.length / 2));
    expect(await reject(detector.manifest, corrupt)).toMatch(/^REGISTRY\.MODEL_INVALID_ONNX \| REGISTRY\.MODEL_INVALID_ONNX: onnxruntime cannot use/);
  });

  it('rejects an invalid manifest, naming the field', async () => {
    expect(await reject({ ...detector.manifest, task: 'cluster' }, detector.model)).toMatch(/^REGISTRY\.MANIFEST_INVALID \| .*task/);
    expect(await reject({ ...detector.manifest, features: [...detector.manifest.features, detector.manifest.features[0]] }, detector.model)).toMatch(/features more than once/);
  });

  it('rejects a feature count that disagrees with the model, with both numbers', async () => {
    const fewer = { ...detector.manifest, features: detector.manifest.features.slice(0, -1) };
    const n = detector.manifest.features.length;
    expect(await reject(fewer, detector.model)).toBe(
      `REGISTRY.MODEL_CONTRACT_MISMATCH | REGISTRY.MODEL_CONTRACT_MISMATCH: model expects ${n} features, contract cicflowmeter@1 selection has ${n - 1}`,
    );
  });

  it('rejects features the contract does not have, unless declared as context features', async () => {
    const renamed = { ...classifier.manifest, features: ['not_a_feature', ...classifier.manifest.features.slice(1)] };
    expect(await reject(renamed, classifier.model)).toMatch(/MODEL_CONTRACT_MISMATCH: features not_a_feature are not canonical features of contract nsl-kdd@1/);
    // Declared, it passes the contract rule, but this build cannot feed it: still a contract mismatch.
    expect(await reject({ ...renamed, contextFeatures: ['not_a_feature'] }, classifier.model)).toMatch(/MODEL_CONTRACT_MISMATCH: the model cannot be fed from contract nsl-kdd@1/);
    expect(await reject({ ...classifier.manifest, contract: { id: 'nsl-kdd', version: 2 } }, classifier.model)).toMatch(/manifest reads nsl-kdd@2, this registry serves nsl-kdd@1/);
  });

  it('rejects class labels that differ from the model in names, order or count', async () => {
    const labels = classifier.manifest.classLabels;
    expect(await reject({ ...classifier.manifest, classLabels: [...labels].reverse() }, classifier.model)).toMatch(/^REGISTRY\.CLASS_LABELS_MISMATCH .*model class labels \[DoS, Probe/);
    expect(await reject({ ...classifier.manifest, classLabels: [...labels, 'Extra'] }, classifier.model)).toMatch(/CLASS_LABELS_MISMATCH: model gives 4 class probabilities, manifest names 5 classes/);
  });

  it('rejects a model whose probabilities do not sum to one on the golden rows', async () => {
    const e = detector.ensemble;
    const inflated = { ...e, trees: e.trees.map((t) => ({ ...t, value: t.value.map((v) => v * 3) })) };
    const model = exportOnnx(inflated, { classLabels: detector.manifest.classLabels, featureNames: detector.manifest.features });
    expect(await reject(detector.manifest, model)).toMatch(/^REGISTRY\.PROBABILITIES_INVALID .*golden row \d+: probabilit/);
  });
});
