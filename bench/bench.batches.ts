// Real result batches for benchmarks that run without NATS: chunks of the committed real
// samples (NSL-KDD train, CIC-IDS2017 MachineLearningCVE), flagged by the shipped detectors as
// detection publishes them, and classified by the classification service's own score().
import {
  type ContractId, type DetectionBatchMessage, CONTRACT_SAMPLES, contractSamplePath, decodeDetectionBatchMessage, encodeDetectionBatchMessage, pipelineTopology, readFlowFile,
} from '@vigil/contracts';
import {
  type FlowRows, type FlowsResult, type ModelRunner, type StageScorerDeps, type ThreatExplainer, type VersionAddons, loadShippedModel, shippedModelName,
} from '@vigil/inference';
import { ThreatClassificationService } from '../apps/classification/src/threat-classification/threat-classification.service';

export const SAMPLE_FILES: Record<ContractId, string> = { 'nsl-kdd': CONTRACT_SAMPLES.nslKdd, cicflowmeter: CONTRACT_SAMPLES.mlcve };

export interface ServedClassifier {
  runner: ModelRunner;
  explainer: ThreatExplainer;
}

/** `chunks` chunks of `chunk` rows of the contract's sample, cycled, each flagged by the shipped detector; `correlationId` as ingestion sets it. */
export async function detectionBatches(args: { contract: ContractId; modelsDir: string; chunk: number; chunks: number; tag: string; correlationId?: string }): Promise<DetectionBatchMessage[]> {
  const { contract, chunk, tag } = args;
  const detector = await loadShippedModel({ modelsDir: args.modelsDir, name: shippedModelName('detect', contract) });
  const rows = [];
  for await (const b of readFlowFile(contractSamplePath(SAMPLE_FILES[contract]), { contract, batchSize: chunk })) rows.push(b);
  const out: DetectionBatchMessage[] = [];
  for (let c = 0; c < args.chunks; c++) {
    const b = rows[c % rows.length];
    const width = b.contract.features.length;
    const det = await detector.run(b.features, b.count, b.envelopes);
    const flagged = Array.from({ length: b.count }, (_, i) => i).filter((i) => det.decisions?.[i] === 1);
    const flaggedFeatures = new Float32Array(flagged.length * width);
    flagged.forEach((r, k) => flaggedFeatures.set(b.features.subarray(r * width, (r + 1) * width), k * width));
    const flowIds = Array.from({ length: b.count }, (_, i) => `${tag}-${contract}-${c}-${i}`);
    const now = new Date().toISOString();
    out.push(decodeDetectionBatchMessage(encodeDetectionBatchMessage({
      header: {
        batchId: `${tag}-${contract}-${c}`, contract: { id: contract, version: b.contract.version }, sensor: 'bench', ingestedAt: now, detectedAt: now,
        correlationId: args.correlationId ?? `${tag}-${c}`, model: detector.ref, threshold: 0.5, count: b.count, featureCount: width, flowIds,
        envelopes: b.envelopes.slice(0, b.count).map((e, i) => ({ ...e, flowId: flowIds[i] })), flagged,
      },
      attackProbabilities: Float32Array.from(det.positive ?? new Float32Array(b.count)), flaggedFeatures,
    })));
  }
  await detector.release();
  return out;
}

/** The classification service over the shipped classifiers, in process, with or without their explainers. */
export function shippedScorer(served: ReadonlyMap<ContractId, ServedClassifier>, explain: boolean): ThreatClassificationService {
  const models: StageScorerDeps['models'] = {
    runFlows: async (contract: ContractId, flows: FlowRows): Promise<FlowsResult> => {
      const { runner, explainer } = served.get(contract) as ServedClassifier;
      const out = await runner.run(flows.features, flows.count, flows.envelopes);
      const output = { count: out.count, nClasses: out.nClasses, labels: out.labels.slice(), probabilities: out.probabilities.slice() };
      const addons: VersionAddons = explain ? { explainer } : {};
      return { parts: [{ role: 'production', model: runner.ref, manifest: runner.manifest, rows: null, output, addons }] };
    },
  };
  return new ThreatClassificationService({ models, topology: pipelineTopology('bench'), onInference: () => undefined });
}
