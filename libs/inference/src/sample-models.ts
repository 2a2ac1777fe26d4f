// Small real models trained on the committed contract samples, for tests and benchmarks that
// must run before (or without) the shipped models: real trees from @vigil/ml on real rows,
// written as real model version folders. Never used as a fallback for a missing model.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ContractId, type FlowEnvelope, type ModelManifest, CONTRACT_SAMPLES, contractSamplePath, getContract, readFlowFile } from '@vigil/contracts';
import { type TreeEnsemble, exportOnnx, trainRandomForest } from '@vigil/ml';
import { MANIFEST_FILE, MODEL_FILE, shippedModelName } from './model-version.loader';

export interface SampleRows {
  contract: ContractId;
  files: string[];
  count: number;
  /** count × contract features, contract order. */
  features: Float32Array;
  families: string[];
  isAttack: boolean[];
  /** One per row: what context features (home-net membership) are computed from. */
  envelopes: FlowEnvelope[];
}

export interface SampleModel {
  name: string;
  dir: string;
  manifest: ModelManifest;
  ensemble: TreeEnsemble;
}

const SAMPLE_FILES: Record<ContractId, string[]> = {
  'nsl-kdd': [CONTRACT_SAMPLES.nslKdd],
  cicflowmeter: [CONTRACT_SAMPLES.mlcve, CONTRACT_SAMPLES.improved],
};

/** Every labelled row of the committed samples of a contract, in file order. */
export async function readSampleRows(contract: ContractId): Promise<SampleRows> {
  const parts: Float32Array[] = [];
  const families: string[] = [];
  const isAttack: boolean[] = [];
  const envelopes: FlowEnvelope[] = [];
  for (const file of SAMPLE_FILES[contract]) {
    for await (const batch of readFlowFile(contractSamplePath(file), { contract })) {
      parts.push(batch.features.slice(0, batch.count * batch.contract.features.length));
      envelopes.push(...batch.envelopes.slice(0, batch.count));
      for (const label of batch.labels) {
        families.push(label?.family ?? 'unknown');
        isAttack.push(label?.isAttack ?? false);
      }
    }
  }
  const features = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (features.set(p, at), at + p.length), 0);
  return { contract, files: SAMPLE_FILES[contract], count: families.length, features, families, isAttack, envelopes };
}

/** Trains a detector and a classifier per contract into `<dir>/<name>/1/`. */
export async function trainSampleModels(dir: string): Promise<SampleModel[]> {
  const out: SampleModel[] = [];
  for (const contract of ['nsl-kdd', 'cicflowmeter'] as const) {
    const rows = await readSampleRows(contract);
    out.push(await trainOne({ dir, rows, task: 'detect' }));
    out.push(await trainOne({ dir, rows, task: 'classify' }));
  }
  return out;
}

async function trainOne(args: { dir: string; rows: SampleRows; task: 'detect' | 'classify' }): Promise<SampleModel> {
  const { rows, task } = args;
  const contract = getContract(rows.contract);
  const all = contract.features.map((f) => f.name);
  // The cicflowmeter classifier reads a subset in its own order, so feature mapping is exercised.
  const features = task === 'classify' && rows.contract === 'cicflowmeter' ? all.slice(0, 76).reverse() : all;
  const columns = features.map((f) => all.indexOf(f));
  const picked = [...Array(rows.count).keys()].filter((i) => task === 'detect' || rows.isAttack[i]);
  const classLabels = task === 'detect' ? [contract.families[0].toLowerCase(), 'attack'] : [...new Set(picked.map((i) => rows.families[i]))].sort();
  const y = Int32Array.from(picked, (i) => (task === 'detect' ? Number(rows.isAttack[i]) : classLabels.indexOf(rows.families[i])));
  const X = new Float32Array(picked.length * features.length);
  picked.forEach((i, r) => columns.forEach((c, j) => (X[r * features.length + j] = rows.features[i * all.length + c])));
  const params = { nEstimators: 12, maxDepth: 8, seed: 7, workers: 1 };
  const ensemble = await trainRandomForest({ X, nRows: picked.length, nFeatures: features.length, y, nClasses: classLabels.length }, params);
  const name = shippedModelName(task, rows.contract);
  const manifest = sampleManifest({ name, task, rows, features, classLabels, y, params });
  const versionDir = path.join(args.dir, name, '1');
  mkdirSync(versionDir, { recursive: true });
  writeFileSync(path.join(versionDir, MODEL_FILE), exportOnnx(ensemble, { classLabels, featureNames: features, metadata: { name, version: '1' } }));
  writeFileSync(path.join(versionDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return { name, dir: versionDir, manifest, ensemble };
}

function sampleManifest(args: {
  name: string; task: 'detect' | 'classify'; rows: SampleRows; features: string[]; classLabels: string[]; y: Int32Array; params: Record<string, unknown>;
}): ModelManifest {
  const contract = getContract(args.rows.contract);
  const data = args.rows.files.map((file) => {
    const bytes = readFileSync(contractSamplePath(file));
    return { path: `libs/contracts/test-data/${file}`, sha256: createHash('sha256').update(bytes).digest('hex'), rows: 0 };
  });
  const classCounts = Object.fromEntries(args.classLabels.map((c, k) => [c, args.y.filter((v) => v === k).length]));
  return {
    manifestVersion: 1, name: args.name, version: 1, task: args.task,
    contract: { id: contract.id, version: contract.version }, features: args.features,
    classLevel: args.task === 'detect' ? 'binary' : 'family', classLabels: args.classLabels,
    ...(args.task === 'detect' ? { positiveClass: 1, threshold: 0.5 } : {}),
    mergedLabels: {}, algorithm: { kind: 'rf', params: args.params },
    training: {
      data, fingerprint: createHash('sha256').update(JSON.stringify([data, args.params, args.features])).digest('hex'),
      seed: 7, command: 'trainSampleModels (committed contract samples)', rows: args.y.length, classCounts,
    },
    validation: { method: 'none: sample model for tests and benchmarks', metrics: {} },
    referenceHistograms: [], createdBy: '@vigil/inference trainSampleModels',
  };
}
