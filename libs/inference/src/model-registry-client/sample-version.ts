// Real model versions trained on the committed contract samples, shaped for registry tests:
// any name, version, seed, size or feature selection, so tests can upload a second version, a
// model of the wrong width or one whose labels disagree with its manifest without waiting for
// the shipped models. Never a stand-in for a missing production model.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ContractId, type ModelManifest, contractSamplePath, getContract } from '@vigil/contracts';
import { type TreeEnsemble, exportOnnx, trainRandomForest } from '@vigil/ml';
import { MANIFEST_FILE, MODEL_FILE, shippedModelName } from '../model-version.loader';
import { readSampleRows } from '../sample-models';

export interface SampleVersion {
  readonly manifest: ModelManifest;
  readonly model: Uint8Array;
  readonly ensemble: TreeEnsemble;
}

export interface SampleVersionOptions {
  readonly contract: ContractId;
  readonly task: 'detect' | 'classify';
  readonly name?: string;
  readonly version?: number;
  readonly seed?: number;
  readonly nEstimators?: number;
  readonly maxDepth?: number;
  /** Canonical features the model reads, in its order (default: every contract feature). */
  readonly features?: readonly string[];
}

export async function trainSampleVersion(opts: SampleVersionOptions): Promise<SampleVersion> {
  const rows = await readSampleRows(opts.contract);
  const contract = getContract(opts.contract);
  const all = contract.features.map((f) => f.name);
  const features = [...(opts.features ?? all)];
  const columns = features.map((f) => all.indexOf(f));
  const picked = [...Array(rows.count).keys()].filter((i) => opts.task === 'detect' || rows.isAttack[i]);
  const classLabels = opts.task === 'detect' ? [contract.families[0].toLowerCase(), 'attack'] : [...new Set(picked.map((i) => rows.families[i]))].sort();
  const y = Int32Array.from(picked, (i) => (opts.task === 'detect' ? Number(rows.isAttack[i]) : classLabels.indexOf(rows.families[i])));
  const X = new Float32Array(picked.length * features.length);
  picked.forEach((i, r) => columns.forEach((c, j) => (X[r * features.length + j] = rows.features[i * all.length + c])));
  const params = { nEstimators: opts.nEstimators ?? 6, maxDepth: opts.maxDepth ?? 6, seed: opts.seed ?? 7, workers: 1 };
  const ensemble = await trainRandomForest({ X, nRows: picked.length, nFeatures: features.length, y, nClasses: classLabels.length }, params);
  const name = opts.name ?? shippedModelName(opts.task, opts.contract);
  const data = rows.files.map((file) => ({ path: `libs/contracts/test-data/${file}`, sha256: createHash('sha256').update(readFileSync(contractSamplePath(file))).digest('hex'), rows: 0 }));
  const manifest: ModelManifest = {
    manifestVersion: 1, name, version: opts.version ?? 1, task: opts.task,
    contract: { id: contract.id, version: contract.version }, features,
    classLevel: opts.task === 'detect' ? 'binary' : 'family', classLabels,
    ...(opts.task === 'detect' ? { positiveClass: 1, threshold: 0.5 } : {}),
    mergedLabels: {}, algorithm: { kind: 'rf', params },
    training: {
      data, fingerprint: createHash('sha256').update(JSON.stringify([data, params, features])).digest('hex'), seed: params.seed,
      command: 'trainSampleVersion (committed contract samples)', rows: y.length,
      classCounts: Object.fromEntries(classLabels.map((c, k) => [c, y.filter((v) => v === k).length])),
    },
    validation: { method: 'none: sample model for tests', metrics: {} },
    referenceHistograms: [], createdBy: '@vigil/inference trainSampleVersion',
  };
  return { manifest, model: exportOnnx(ensemble, { classLabels, featureNames: features, metadata: { name } }), ensemble };
}

/** Writes `<dir>/<name>/<version>/{model.onnx,manifest.json}` and returns that folder. */
export function writeSampleVersion(dir: string, sample: SampleVersion): string {
  const versionDir = path.join(dir, sample.manifest.name, String(sample.manifest.version));
  mkdirSync(versionDir, { recursive: true });
  writeFileSync(path.join(versionDir, MODEL_FILE), sample.model);
  writeFileSync(path.join(versionDir, MANIFEST_FILE), JSON.stringify(sample.manifest, null, 2) + '\n');
  return versionDir;
}
