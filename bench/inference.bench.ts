// libs/inference throughput and latency per model: rows/s through ModelRunner (onnxruntime, one
// thread) at batch 1, 64 and 1024, against @vigil/ml's TypeScript walker (predictProba) over the
// same trees in the same run; single-row p50/p99. Uses the shipped models under models/ when
// they exist, else real models trained from the committed samples (named as such).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ContractId, type FlowEnvelope, getContract } from '@vigil/contracts';
import { type ModelRunner, ThreatExplainer, defaultModelsDir, loadShippedModel, readSampleRows, shippedModelName, trainSampleModels } from '@vigil/inference';
import { DriftMonitor, createModelInput, isGatedOnnx, predict, predictGated, readOnnxGatedEnsemble, readOnnxTreeEnsemble } from '@vigil/ml';
import { log, median, percentile, report } from './bench.report';

const ROWS = 8_192;
const RUNS = 5;

async function main(): Promise<void> {
  let modelsDir = defaultModelsDir();
  let source = 'shipped';
  const names = (['nsl-kdd', 'cicflowmeter'] as ContractId[]).flatMap((c) => [shippedModelName('detect', c), shippedModelName('classify', c)]);
  const temp = names.every((n) => existsSync(path.join(modelsDir, n))) ? null : mkdtempSync(path.join(tmpdir(), 'vigil-bench-models-'));
  if (temp !== null) {
    log('shipped models absent: training sample models from the committed rows');
    await trainSampleModels(temp);
    modelsDir = temp;
    source = 'sample';
  }
  try {
    for (const name of names) await benchModel(modelsDir, name, source);
  } finally {
    if (temp !== null) rmSync(temp, { recursive: true, force: true });
  }
}

async function benchModel(modelsDir: string, name: string, source: string): Promise<void> {
  const runner = await loadShippedModel({ modelsDir, name });
  const version = Math.max(...readdirSync(path.join(modelsDir, name)).filter((v) => /^\d+$/.test(v)).map(Number));
  const bytes = new Uint8Array(readFileSync(path.join(modelsDir, name, String(version), 'model.onnx')));
  const gated = isGatedOnnx(bytes) ? readOnnxGatedEnsemble(bytes).model : undefined;
  const ensemble = gated === undefined ? readOnnxTreeEnsemble(bytes).model : undefined;
  const walk = (X: Float32Array, n: number) => (gated !== undefined ? predictGated(gated, X, n) : predict(ensemble as NonNullable<typeof ensemble>, X, n));
  const trees = gated !== undefined ? gated.detector.trees.length + gated.categories.trees.length : (ensemble as NonNullable<typeof ensemble>).trees.length;
  const contract = runner.manifest.contract.id;
  const { block, envelopes } = await cycledRows(contract);
  const k = runner.manifest.features.length;
  const modelBlock = toModelOrder(block, envelopes, runner);
  const label = `${name} v${version} (${source}, ${trees} trees)`;
  let ort1024 = 0;
  for (const batch of [1, 64, 1024]) {
    const ort = median(await repeat(() => rowsPerSecond(ROWS, batch, (off, n) => runner.run(block.subarray(off * width(contract), (off + n) * width(contract)), n, envelopes.slice(off, off + n)))));
    const ts = median(await repeat(() => rowsPerSecond(ROWS, batch, (off, n) => walk(modelBlock.subarray(off * k, (off + n) * k), n))));
    ort1024 = ort;
    report({ name: `${label}: rows/s at batch ${batch}`, value: ort, unit: 'rows/s', baseline: ts, ratio: ort / ts, note: 'baseline: TypeScript tree walker (@vigil/ml predict / predictGated), same trees, same run' });
  }
  await addonCost({ runner, block, envelopes, label, ort: ort1024 });
  const latencies: number[] = [];
  for (let i = 0; i < 5_000; i++) {
    const off = (i % ROWS) * width(contract);
    const one = [envelopes[i % ROWS]];
    const t = process.hrtime.bigint();
    await runner.run(block.subarray(off, off + width(contract)), 1, one);
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  report({ name: `${label}: single-row latency p50`, value: percentile(latencies, 50), unit: 'ms' });
  report({ name: `${label}: single-row latency p99`, value: percentile(latencies, 99), unit: 'ms', note: 'target < 0.2 ms' });
  await runner.release();
}

/**
 * What the pipeline adds beside inference, per row, against inference itself (batch 1024):
 * detectors bin every row for drift (DriftMonitor.observe on the model-input block);
 * classifiers explain every threat (Saabas, top 5, ThreatExplainer as classification runs it).
 */
async function addonCost(args: { runner: ModelRunner; block: Float32Array; envelopes: FlowEnvelope[]; label: string; ort: number }): Promise<void> {
  const { runner, block, envelopes, label, ort } = args;
  const X = Float32Array.from(runner.input.gather({ features: block, count: ROWS, envelopes }));
  const k = runner.input.width;
  if (runner.manifest.task === 'detect') {
    const monitor = new DriftMonitor({ reference: runner.manifest.referenceHistograms, window: { slots: 10, slotMs: 60_000 }, now: Date.now });
    const rate = median(await repeat(() => rowsPerSecond(ROWS, 1024, (off, n) => monitor.observe(X.subarray(off * k, (off + n) * k), n))));
    report({ name: `${label}: drift binning rows/s`, value: rate, unit: 'rows/s', baseline: ort, ratio: rate / ort, note: 'DriftMonitor.observe per 1024-row block; baseline: inference at batch 1024, same run (ratio 10 = binning costs a tenth of inference)' });
    return;
  }
  const explainer = await ThreatExplainer.create(runner);
  const classes = runner.classLabels.length;
  const gated = runner.manifest.normalClass !== undefined;
  const rate = median(await repeat(() => rowsPerSecond(ROWS, 1024, (off, n) => {
    for (let r = off; r < off + n; r++) explainer.explain(X, r, gated ? 1 + (r % (classes - 1)) : r % classes);
  })));
  report({ name: `${label}: Saabas explanations rows/s (top 5)`, value: rate, unit: 'rows/s', baseline: ort, ratio: rate / ort, note: 'ThreatExplainer.explain per threat; baseline: inference at batch 1024, same run' });
}

const width = (c: ContractId): number => getContract(c).features.length;

async function cycledRows(contract: ContractId): Promise<{ block: Float32Array; envelopes: FlowEnvelope[] }> {
  const sample = await readSampleRows(contract);
  const w = width(contract);
  const out = new Float32Array(ROWS * w);
  for (let r = 0; r < ROWS; r++) out.set(sample.features.subarray((r % sample.count) * w, (r % sample.count + 1) * w), r * w);
  return { block: out, envelopes: Array.from({ length: ROWS }, (_, r) => sample.envelopes[r % sample.count]) };
}

/** The walker's input: the same gather the runner does (model order, context features). */
function toModelOrder(block: Float32Array, envelopes: readonly FlowEnvelope[], runner: ModelRunner): Float32Array {
  const input = createModelInput({ contract: runner.contract, features: runner.manifest.features, homeNet: runner.manifest.homeNet });
  return Float32Array.from(input.gather({ features: block, count: ROWS, envelopes }));
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
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (Math.floor(rows / batch) * batch) / seconds;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
