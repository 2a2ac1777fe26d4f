import { type ContractId, type DetectionBatchMessage, type PipelineTopology, type Threat, encodeThreatBatchMessage } from '@vigil/contracts';
import { type ModelRunner } from '@vigil/inference';

export type ClassifyingModel = Pick<ModelRunner, 'run' | 'ref' | 'manifest'>;

export interface ThreatResult {
  subject: string;
  /** `<input batchId>:classify`. */
  msgId: string;
  payload: Uint8Array;
  contract: ContractId;
  threats: number;
  ingestedAt: string;
  correlationId: string;
}

/**
 * Classifies the flagged flows of several detection batches with one model call per contract,
 * then writes one threat batch per detection batch that flagged anything: attack class, its
 * probability, the top three classes, and the detector's probability.
 */
export class ThreatClassificationService {
  private readonly buffers = new Map<ContractId, Float32Array>();

  constructor(
    private readonly deps: {
      models: ReadonlyMap<ContractId, ClassifyingModel>; topology: PipelineTopology;
      onInference?: (args: { model: ClassifyingModel; rows: number; seconds: number }) => void; now?: () => Date;
    },
  ) {}

  async classify(batches: readonly DetectionBatchMessage[]): Promise<ThreatResult[]> {
    const out: ThreatResult[] = [];
    const byContract = new Map<ContractId, DetectionBatchMessage[]>();
    for (const b of batches) if (b.header.flagged.length > 0) byContract.set(b.contract.id, [...(byContract.get(b.contract.id) ?? []), b]);
    for (const [contract, group] of byContract) {
      const model = this.deps.models.get(contract);
      if (model === undefined) throw new Error(`no classification model for contract ${contract}`);
      const probabilities = await this.run(model, contract, group);
      const nClasses = model.manifest.classLabels.length;
      let row = 0;
      for (const message of group) {
        const n = message.header.flagged.length;
        out.push(this.result(model, message, probabilities.subarray(row * nClasses, (row + n) * nClasses)));
        row += n;
      }
    }
    return out;
  }

  private async run(model: ClassifyingModel, contract: ContractId, group: readonly DetectionBatchMessage[]): Promise<Float32Array> {
    const width = group[0].contract.features.length;
    const rows = group.reduce((n, m) => n + m.header.flagged.length, 0);
    let buffer = this.buffers.get(contract) ?? new Float32Array(0);
    if (buffer.length < rows * width) this.buffers.set(contract, (buffer = new Float32Array(Math.max(rows * width, buffer.length * 2))));
    let at = 0;
    for (const m of group) {
      buffer.set(m.flaggedFeatures, at);
      at += m.flaggedFeatures.length;
    }
    const envelopes = group.flatMap((m) => m.header.flagged.map((i) => m.header.envelopes[i]));
    const started = process.hrtime.bigint();
    const result = await model.run(buffer, rows, envelopes);
    this.deps.onInference?.({ model, rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    return result.probabilities.slice(0, rows * model.manifest.classLabels.length);
  }

  private result(model: ClassifyingModel, message: DetectionBatchMessage, probabilities: Float32Array): ThreatResult {
    const { header } = message;
    const labels = model.manifest.classLabels;
    // A gated classifier's benign class only gates; the attack class is the best of the others.
    const normal = model.manifest.normalClass;
    const threats: Threat[] = header.flagged.map((i, k) => {
      const p = probabilities.subarray(k * labels.length, (k + 1) * labels.length);
      const top = Array.from(p, (v, c) => ({ class: labels[c], probability: clamp(v) }))
        .filter((_, c) => c !== normal)
        .sort((a, b) => b.probability - a.probability || labels.indexOf(a.class) - labels.indexOf(b.class))
        .slice(0, 3);
      return {
        flowId: header.flowIds[i], envelope: header.envelopes[i], attackClass: top[0].class, probability: top[0].probability, top,
        detectorProbability: clamp(message.attackProbabilities[i]),
      };
    });
    const payload = encodeThreatBatchMessage({
      batchId: header.batchId, contract: header.contract, sensor: header.sensor, ingestedAt: header.ingestedAt, detectedAt: header.detectedAt,
      classifiedAt: (this.deps.now ?? (() => new Date()))().toISOString(), correlationId: header.correlationId,
      detector: header.model, classifier: model.ref, threats,
    });
    return {
      subject: this.deps.topology.subjects.threats(message.contract.id), msgId: `${header.batchId}:classify`, payload,
      contract: message.contract.id, threats: threats.length, ingestedAt: header.ingestedAt, correlationId: header.correlationId,
    };
  }
}

// float32 sums can land a hair outside [0, 1].
function clamp(p: number): number {
  return Math.min(1, Math.max(0, p));
}
