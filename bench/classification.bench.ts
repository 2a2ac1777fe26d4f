// What threat explanations cost classification, in one process and without NATS: the
// classification service's own score() (model call, threats, explanations, JSON encode of the
// threat batches) over real detection batches, with each shipped classifier's Saabas explainer
// (ThreatExplainer, as the service builds it) and without, same batches, same run, rounds
// interleaved. The batches are what the pipeline bench offers: 500-row chunks of the committed
// real samples of both contracts (NSL-KDD train, CIC-IDS2017 MachineLearningCVE), flagged by
// the shipped detectors. The bound is on the pipeline (explanations may cut throughput
// by at most 10 %); this isolates the classification process's share of it.
import {
  type ContractId, type DetectionBatchMessage, CONTRACT_SAMPLES, contractSamplePath, decodeDetectionBatchMessage, encodeDetectionBatchMessage, pipelineTopology, readFlowFile,
} from '@vigil/contracts';
import {
  type FlowRows, type FlowsResult, type ModelRunner, type StageScorerDeps, type VersionAddons, ThreatExplainer, defaultModelsDir, loadShippedModel, shippedModelName,
} from '@vigil/inference';
import { ThreatClassificationService } from '../apps/classification/src/threat-classification/threat-classification.service';
import { log, median, report } from './bench.report';

const CHUNK = 500;
const CHUNKS_PER_CONTRACT = 40;
const ROUNDS = 7;
const FILES: Record<ContractId, string> = { 'nsl-kdd': CONTRACT_SAMPLES.nslKdd, cicflowmeter: CONTRACT_SAMPLES.mlcve };

interface Served { runner: ModelRunner; explainer: ThreatExplainer }

async function main(): Promise<void> {
  const modelsDir = defaultModelsDir();
  const served = new Map<ContractId, Served>();
  const batches: DetectionBatchMessage[] = [];
  for (const contract of ['nsl-kdd', 'cicflowmeter'] as ContractId[]) {
    const runner = await loadShippedModel({ modelsDir, name: shippedModelName('classify', contract) });
    served.set(contract, { runner, explainer: await ThreatExplainer.create(runner) });
    batches.push(...(await detectionBatches(contract, modelsDir)));
  }
  const on = scorer(served, true);
  const off = scorer(served, false);
  const score = async (s: ThreatClassificationService): Promise<{ seconds: number; threats: number; bytes: number }> => {
    const started = process.hrtime.bigint();
    let threats = 0;
    let bytes = 0;
    for (const b of batches) {
      const { results } = await s.score([b]);
      for (const r of results) {
        threats += r.flows;
        bytes += r.payload.byteLength;
      }
    }
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, threats, bytes };
  };
  await score(on);
  await score(off);
  const onRuns: number[] = [];
  const offRuns: number[] = [];
  let last = { on: { threats: 0, bytes: 0 }, off: { threats: 0, bytes: 0 } };
  for (let i = 0; i < ROUNDS; i++) {
    const a = await score(on);
    const b = await score(off);
    onRuns.push(a.threats / a.seconds);
    offRuns.push(b.threats / b.seconds);
    last = { on: a, off: b };
  }
  const flows = batches.reduce((n, b) => n + b.header.count, 0);
  const rateOn = median(onRuns);
  const rateOff = median(offRuns);
  log(`classification score(): ${flows} flows, ${last.on.threats} threats; explanations on ${Math.round(rateOn)} threats/s, off ${Math.round(rateOff)} threats/s`);
  report({
    name: 'classification score(): threats/s with explanations (in process)', value: rateOn, unit: 'threats/s', baseline: rateOff, ratio: rateOn / rateOff,
    note: `ThreatClassificationService.score per detection batch (model call, threats, Saabas top 5, JSON encode), ${CHUNK}-row chunks of both contracts' real samples; baseline: no explainer, same run; median of ${ROUNDS}`,
  });
  report({
    name: 'classification: threat batch bytes per threat with explanations', value: last.on.bytes / last.on.threats, unit: 'bytes', baseline: last.off.bytes / last.off.threats,
    ratio: last.on.bytes / last.off.bytes, note: 'JSON threat batches as published on threats.<contract>; baseline: without explanations',
  });
  for (const s of served.values()) await s.runner.release();
}

function scorer(served: Map<ContractId, Served>, explain: boolean): ThreatClassificationService {
  const models: StageScorerDeps['models'] = {
    runFlows: async (contract: ContractId, flows: FlowRows): Promise<FlowsResult> => {
      const { runner, explainer } = served.get(contract) as Served;
      const out = await runner.run(flows.features, flows.count, flows.envelopes);
      const output = { count: out.count, nClasses: out.nClasses, labels: out.labels.slice(), probabilities: out.probabilities.slice() };
      const addons: VersionAddons = explain ? { explainer } : {};
      return { parts: [{ role: 'production', model: runner.ref, manifest: runner.manifest, rows: null, output, addons }] };
    },
  };
  return new ThreatClassificationService({ models, topology: pipelineTopology('bench'), onInference: () => undefined });
}

/** 500-row chunks of the contract's sample, cycled, each flagged by the shipped detector, as detection publishes them. */
async function detectionBatches(contract: ContractId, modelsDir: string): Promise<DetectionBatchMessage[]> {
  const detector = await loadShippedModel({ modelsDir, name: shippedModelName('detect', contract) });
  const rows = [];
  for await (const b of readFlowFile(contractSamplePath(FILES[contract]), { contract, batchSize: CHUNK })) rows.push(b);
  const out: DetectionBatchMessage[] = [];
  for (let c = 0; c < CHUNKS_PER_CONTRACT; c++) {
    const b = rows[c % rows.length];
    const width = b.contract.features.length;
    const det = await detector.run(b.features, b.count, b.envelopes);
    const flagged = Array.from({ length: b.count }, (_, i) => i).filter((i) => det.decisions?.[i] === 1);
    const flaggedFeatures = new Float32Array(flagged.length * width);
    flagged.forEach((r, k) => flaggedFeatures.set(b.features.subarray(r * width, (r + 1) * width), k * width));
    const flowIds = Array.from({ length: b.count }, (_, i) => `bench-${contract}-${c}-${i}`);
    const now = new Date().toISOString();
    out.push(decodeDetectionBatchMessage(encodeDetectionBatchMessage({
      header: {
        batchId: `bench-${contract}-${c}`, contract: { id: contract, version: b.contract.version }, sensor: 'bench', ingestedAt: now, detectedAt: now, correlationId: `bench-${c}`,
        model: detector.ref, threshold: 0.5, count: b.count, featureCount: width, flowIds, envelopes: b.envelopes.slice(0, b.count).map((e, i) => ({ ...e, flowId: flowIds[i] })), flagged,
      },
      attackProbabilities: Float32Array.from(det.positive ?? new Float32Array(b.count)), flaggedFeatures,
    })));
  }
  await detector.release();
  return out;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
