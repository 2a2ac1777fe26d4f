// Scores a model version on a labelled flow file exactly as the services run it: the same
// model-input gather (@vigil/ml), onnxruntime through @vigil/inference, and the manifest's
// decision rule (threshold, gate) applied by @vigil/ml's decide().
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type CanonicalLabel, type ModelManifest, getContract, modelManifestSchema, readFlowFile } from '@vigil/contracts';
import { OnnxModelSession } from '@vigil/inference';
import { type EvaluationReport, classNameOf, createModelInput, evaluationReport, rejectUnknownLabels } from '@vigil/ml';
import { EvaluateError } from './evaluate.errors';

export interface EvaluateResult extends EvaluationReport {
  readonly model: { readonly name: string; readonly version: number };
  readonly file: string;
  /** Rows scored per second, reading and parsing included. */
  readonly rowsPerSecond: number;
  /** Rows per second of gather + onnxruntime alone. */
  readonly inferenceRowsPerSecond: number;
  /** Rows the parser rejected (bad numbers, field counts), by error code. */
  readonly errorRows: Readonly<Record<string, number>>;
  /** Labelled rows left out because their label is not one of the model's classes (e.g. a coarse family label), by label. */
  readonly skippedLabels: Readonly<Record<string, number>>;
  readonly unlabelledRows: number;
}

export function loadManifest(dir: string): ModelManifest {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file) || !existsSync(path.join(dir, 'model.onnx'))) throw new EvaluateError('EVALUATE.MODEL_INVALID', `${dir} needs manifest.json and model.onnx`, { dir });
  const parsed = modelManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new EvaluateError('EVALUATE.MODEL_INVALID', `${file} is not a valid model manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

interface Collected {
  probs: Float32Array[];
  y: number[];
  original: string[];
  isAttack: number[];
  errorRows: Record<string, number>;
  skipped: Record<string, number>;
  unlabelled: number;
  inferNs: bigint;
}

export async function evaluateModel(args: { modelDir: string; dataFile: string; displayFile: string; homeNet?: readonly string[]; batchSize?: number }): Promise<EvaluateResult> {
  const manifest = loadManifest(args.modelDir);
  const contract = getContract(manifest.contract.id);
  const input = createModelInput({ contract, features: manifest.features, homeNet: args.homeNet ?? manifest.homeNet });
  const session = await OnnxModelSession.create({ model: new Uint8Array(readFileSync(path.join(args.modelDir, 'model.onnx'))), classLabels: manifest.classLabels });
  const started = process.hrtime.bigint();
  let c: Collected;
  try {
    c = await collect({ manifest, session, input, file: args.dataFile, display: args.displayFile, batchSize: args.batchSize ?? 4096 });
  } finally {
    await session.release();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const n = c.y.length;
  if (n === 0) throw new EvaluateError('EVALUATE.NO_ROWS', `${args.displayFile} has no labelled rows of ${manifest.name}'s classes to score`, { skipped: c.skipped });
  const nClasses = manifest.classLabels.length;
  const probabilities = new Float32Array(n * nClasses);
  c.probs.reduce((at, p) => (probabilities.set(p, at), at + p.length), 0);
  const benignNames = new Set([contract.families[0], contract.families[0].toLowerCase(), ...contract.labels.filter((l) => !l.isAttack).map((l) => l.label)]);
  const benign = manifest.classLabels.findIndex((l) => benignNames.has(l));
  const report = evaluationReport({
    rule: { task: manifest.task, nClasses, positiveClass: manifest.positiveClass, normalClass: manifest.normalClass, threshold: manifest.threshold },
    classLabels: manifest.classLabels, benignClass: benign >= 0 ? benign : null, yTrue: Int32Array.from(c.y),
    originalLabels: c.original, isAttack: Uint8Array.from(c.isAttack), probabilities,
  });
  return {
    model: { name: manifest.name, version: manifest.version }, file: args.displayFile, ...report,
    rowsPerSecond: Math.round(n / seconds), inferenceRowsPerSecond: Math.round(n / (Number(c.inferNs) / 1e9)),
    errorRows: c.errorRows, skippedLabels: c.skipped, unlabelledRows: c.unlabelled,
  };
}

async function collect(a: { manifest: ModelManifest; session: OnnxModelSession; input: ReturnType<typeof createModelInput>; file: string; display: string; batchSize: number }): Promise<Collected> {
  const { manifest } = a;
  const classIndex = new Map(manifest.classLabels.map((l, i) => [l, i]));
  const c: Collected = { probs: [], y: [], original: [], isAttack: [], errorRows: {}, skipped: {}, unlabelled: 0, inferNs: 0n };
  const target = { classLevel: manifest.classLevel, mergedLabels: manifest.mergedLabels, contract: manifest.contract.id };
  for await (const batch of readFlowFile(a.file, { contract: manifest.contract.id, batchSize: a.batchSize })) {
    rejectUnknownLabels(batch, a.display);
    for (const e of batch.errors) c.errorRows[e.code] = (c.errorRows[e.code] ?? 0) + 1;
    const keep: number[] = [];
    batch.labels.forEach((label: CanonicalLabel | null, i) => {
      if (label === null) return void c.unlabelled++;
      const k = classIndex.get(classNameOf(target, label));
      if (k === undefined) return void (c.skipped[label.label] = (c.skipped[label.label] ?? 0) + 1);
      keep.push(i);
      c.y.push(k);
      c.original.push(label.label);
      c.isAttack.push(label.isAttack ? 1 : 0);
    });
    if (batch.count === 0 || keep.length === 0) continue;
    const t = process.hrtime.bigint();
    const X = a.input.gather({ features: batch.features, count: batch.count, envelopes: batch.envelopes });
    const out = await a.session.run(X, batch.count);
    c.inferNs += process.hrtime.bigint() - t;
    const width = manifest.classLabels.length;
    const probs = new Float32Array(keep.length * width);
    keep.forEach((r, j) => probs.set(out.probabilities.subarray(r * width, (r + 1) * width), j * width));
    c.probs.push(probs);
  }
  return c;
}
