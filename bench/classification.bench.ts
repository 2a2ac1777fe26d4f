// What threat explanations cost classification, in one process and without NATS: the
// classification service's own score() (model call, threats, explanations, JSON encode of the
// threat batches) over real detection batches, with each shipped classifier's Saabas explainer
// (ThreatExplainer, as the service builds it) and without, same batches, same run, rounds
// interleaved. The batches are what the pipeline bench offers: 500-row chunks of the committed
// real samples of both contracts (NSL-KDD train, CIC-IDS2017 MachineLearningCVE), flagged by
// the shipped detectors. The bound is on the pipeline (explanations may cut throughput
// by at most 10 %); this isolates the classification process's share of it.
import { type ContractId, type DetectionBatchMessage } from '@vigil/contracts';
import { ThreatExplainer, defaultModelsDir, loadShippedModel, shippedModelName } from '@vigil/inference';
import { type ThreatClassificationService } from '../apps/classification/src/threat-classification/threat-classification.service';
import { type ServedClassifier, detectionBatches, shippedScorer } from './bench.batches';
import { log, median, report } from './bench.report';

const CHUNK = 500;
const CHUNKS_PER_CONTRACT = 40;
const ROUNDS = 7;

async function main(): Promise<void> {
  const modelsDir = defaultModelsDir();
  const served = new Map<ContractId, ServedClassifier>();
  const batches: DetectionBatchMessage[] = [];
  for (const contract of ['nsl-kdd', 'cicflowmeter'] as ContractId[]) {
    const runner = await loadShippedModel({ modelsDir, name: shippedModelName('classify', contract) });
    served.set(contract, { runner, explainer: await ThreatExplainer.create(runner) });
    batches.push(...(await detectionBatches({ contract, modelsDir, chunk: CHUNK, chunks: CHUNKS_PER_CONTRACT, tag: 'bench' })));
  }
  const on = shippedScorer(served, true);
  const off = shippedScorer(served, false);
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

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
