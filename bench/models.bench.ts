// The shipped models: training time of each recipe's final fit on its full training file
// (validation off; the rebuild with validation is what `vigil train` runs), and inference
// rows/s through onnxruntime (OnnxModelSession, one thread) against @vigil/ml's TypeScript
// walker over the same trees, on real rows of the training file, single row and batch 1024.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type ModelManifest, getContract, readFlowFile } from '@vigil/contracts';
import { OnnxModelSession } from '@vigil/inference';
import {
  createModelInput, isGatedOnnx, predict, predictGated, readOnnxGatedEnsemble, readOnnxTreeEnsemble, resolveTrainSpec, trainModel,
  type TrainRequest,
} from '@vigil/ml';
import { SHARED_DATASETS, log, median, report } from './bench.report';

const ROWS = 8_192;
const RUNS = 5;
const ROOT = process.cwd();

async function main(): Promise<void> {
  const models = path.join(ROOT, 'models');
  if (!existsSync(SHARED_DATASETS)) {
    log('../shared/datasets absent: models bench needs the training files');
    return;
  }
  for (const name of readdirSync(models).sort()) {
    const dir = path.join(models, name, '1');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
    await benchTraining(manifest);
    await benchInference(dir, manifest);
  }
}

function requestOf(command: string): { request: TrainRequest; data: string[] } {
  const words = command.split(/\s+/).slice(3);
  const flag = (f: string): string | undefined => words[words.indexOf(`--${f}`) + 1];
  const data = words.flatMap((w, i) => (w === '--data' ? [words[i + 1]] : []));
  return {
    request: { task: flag('task') as 'detect' | 'classify', contract: flag('contract') as TrainRequest['contract'], recipe: flag('recipe'), params: {}, validation: 'none' },
    data,
  };
}

async function benchTraining(m: ModelManifest): Promise<void> {
  const { request, data } = requestOf(m.training.command);
  const spec = resolveTrainSpec(request);
  const started = process.hrtime.bigint();
  await trainModel({ spec, files: data.map((d) => ({ read: path.resolve(ROOT, d), record: d })), name: m.name, version: 1, command: 'bench' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  report({ name: `${m.name}: final fit on ${m.training.rows.toLocaleString('en-US')} rows (recipe ${request.recipe})`, value: seconds, unit: 's', note: 'one run, 2 workers, file read + fit + ONNX export; no validation' });
}

async function realRows(m: ModelManifest): Promise<Float32Array> {
  const contract = getContract(m.contract.id);
  const input = createModelInput({ contract, features: m.features, homeNet: m.homeNet });
  const file = path.resolve(ROOT, m.training.data[0].path);
  for await (const batch of readFlowFile(file, { contract: contract.id, batchSize: ROWS })) {
    return Float32Array.from(input.gather({ features: batch.features, count: batch.count, envelopes: batch.envelopes }));
  }
  throw new Error(`${file} is empty`);
}

async function benchInference(dir: string, m: ModelManifest): Promise<void> {
  const bytes = new Uint8Array(readFileSync(path.join(dir, 'model.onnx')));
  const walker = isGatedOnnx(bytes)
    ? ((g) => (X: Float32Array, n: number) => predictGated(g, X, n))(readOnnxGatedEnsemble(bytes).model)
    : ((e) => (X: Float32Array, n: number) => predict(e, X, n))(readOnnxTreeEnsemble(bytes).model);
  const X = await realRows(m);
  const k = m.features.length;
  const n = Math.floor(X.length / k);
  const session = await OnnxModelSession.create({ model: bytes, classLabels: m.classLabels, intraOpNumThreads: 1 });
  for (const batch of [1, 1024]) {
    const total = batch === 1 ? 2_048 : n - (n % batch);
    const ort = median(await repeat(() => rowsPerSecond(total, batch, (off, b) => session.run(X.subarray(off * k, (off + b) * k), b))));
    const ts = median(await repeat(() => rowsPerSecond(total, batch, (off, b) => walker(X.subarray(off * k, (off + b) * k), b))));
    report({ name: `${m.name}: rows/s at batch ${batch}`, value: ort, unit: 'rows/s', baseline: ts, ratio: ort / ts, note: 'onnxruntime (1 thread) vs baseline TypeScript walker, same trees, real training rows' });
  }
  await session.release();
}

async function repeat(fn: () => Promise<number>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) out.push(await fn());
  return out;
}

async function rowsPerSecond(rows: number, batch: number, run: (offset: number, n: number) => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let off = 0; off + batch <= rows; off += batch) await run(off, batch);
  return rows / (Number(process.hrtime.bigint() - started) / 1e9);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
