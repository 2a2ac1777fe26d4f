// Golden input/output vectors of the shipped models: real rows of the committed contract
// samples with the label and probabilities each model gives them. Computed with @vigil/ml's
// TypeScript walker over the trees read back from model.onnx (no onnxruntime), so the spec
// can hold onnxruntime (through ModelRunner) and the walker to the same committed answers.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ContractId, type FlowEnvelope, type ModelManifest, getContract, modelManifestSchema } from '@vigil/contracts';
import { type DecisionRule, createModelInput, decide, isGatedOnnx, predict, predictGated, readOnnxGatedEnsemble, readOnnxTreeEnsemble } from '@vigil/ml';
import { MANIFEST_FILE, MODEL_FILE } from '../model-version.loader';
import { readSampleRows } from '../sample-models';

export interface GoldenRow {
  /** Row index in the contract's committed samples (readSampleRows order). */
  readonly sampleRow: number;
  /** Contract-order features; NaN and ±Infinity as strings. */
  readonly features: (number | string)[];
  readonly envelope: FlowEnvelope;
  readonly label: string;
  readonly probabilities: number[];
}

export interface GoldenVectors {
  readonly model: string;
  readonly version: number;
  readonly sha256: string;
  readonly contract: ContractId;
  readonly classLabels: string[];
  readonly rows: GoldenRow[];
}

export const GOLDEN_ROWS_PER_CLASS = 12;

export function readManifest(modelDir: string): ModelManifest {
  return modelManifestSchema.parse(JSON.parse(readFileSync(path.join(modelDir, MANIFEST_FILE), 'utf8')));
}

export function decisionRule(m: ModelManifest): DecisionRule | null {
  const nClasses = m.classLabels.length;
  if (m.task === 'detect') return { task: 'detect', nClasses, positiveClass: m.positiveClass, threshold: m.threshold };
  return m.normalClass === undefined ? null : { task: 'classify', nClasses, normalClass: m.normalClass, threshold: m.threshold };
}

/** The TypeScript walker's labels and probabilities for contract-order rows (the baseline onnxruntime must match). */
export function walkerPredict(args: { modelDir: string; features: Float32Array; count: number; envelopes: readonly FlowEnvelope[] }): { labels: Int32Array; probabilities: Float32Array } {
  const m = readManifest(args.modelDir);
  const bytes = new Uint8Array(readFileSync(path.join(args.modelDir, MODEL_FILE)));
  const input = createModelInput({ contract: getContract(m.contract.id), features: m.features, homeNet: m.homeNet });
  const X = Float32Array.from(input.gather({ features: args.features, count: args.count, envelopes: args.envelopes }));
  const out = isGatedOnnx(bytes) ? predictGated(readOnnxGatedEnsemble(bytes).model, X, args.count) : predict(readOnnxTreeEnsemble(bytes).model, X, args.count);
  const rule = decisionRule(m);
  return { labels: rule === null ? out.labels : decide(rule, out.probabilities, args.count), probabilities: out.probabilities };
}

/** Up to GOLDEN_ROWS_PER_CLASS sample rows of each sample family, spread over the samples, benign and attacks alike. */
export async function computeGoldenVectors(modelDir: string): Promise<GoldenVectors> {
  const m = readManifest(modelDir);
  const contract = m.contract.id as ContractId;
  const rows = await readSampleRows(contract);
  const width = getContract(contract).features.length;
  const byFamily = new Map<string, number[]>();
  rows.families.forEach((f, i) => byFamily.set(f, [...(byFamily.get(f) ?? []), i]));
  const picked = [...byFamily.values()].flatMap((idx) => idx.filter((_, k) => k % Math.max(1, Math.floor(idx.length / GOLDEN_ROWS_PER_CLASS)) === 0).slice(0, GOLDEN_ROWS_PER_CLASS)).sort((a, b) => a - b);
  const features = new Float32Array(picked.length * width);
  picked.forEach((i, r) => features.set(rows.features.subarray(i * width, (i + 1) * width), r * width));
  const envelopes = picked.map((i) => rows.envelopes[i]);
  const out = walkerPredict({ modelDir, features, count: picked.length, envelopes });
  const n = m.classLabels.length;
  return {
    model: m.name, version: m.version, contract, classLabels: m.classLabels,
    sha256: createHash('sha256').update(readFileSync(path.join(modelDir, MODEL_FILE))).digest('hex'),
    rows: picked.map((sampleRow, r) => ({
      sampleRow, envelope: envelopes[r], label: m.classLabels[out.labels[r]],
      features: Array.from(features.subarray(r * width, (r + 1) * width), (v) => (Number.isFinite(v) ? v : String(v))),
      probabilities: Array.from(out.probabilities.subarray(r * n, (r + 1) * n)),
    })),
  };
}

export function goldenFeatures(g: GoldenVectors): Float32Array {
  return Float32Array.from(g.rows.flatMap((r) => r.features.map(Number)));
}
