import { type ContractId, type FlowBatchMessage, type PipelineTopology, encodeDetectionBatchMessage } from '@vigil/contracts';
import { type ModelRunner } from '@vigil/inference';

export type ScoringModel = Pick<ModelRunner, 'run' | 'ref' | 'manifest'>;

export interface DetectionResult {
  subject: string;
  /** `<input batchId>:detect`: a redelivered input batch cannot store a second result. */
  msgId: string;
  payload: Uint8Array;
  contract: ContractId;
  flows: number;
  flagged: number;
  ingestedAt: string;
  correlationId: string;
}

export interface InferenceTiming {
  (args: { model: ScoringModel; rows: number; seconds: number }): void;
}

/**
 * Scores several input flow batches with one model call per contract (their features laid
 * side by side in a grow-only buffer), then splits the answers back into one result message
 * per input batch: P(attack) for every flow, and the features of the flagged ones.
 */
export class FlowScoringService {
  private readonly buffers = new Map<ContractId, Float32Array>();

  constructor(
    private readonly deps: { models: ReadonlyMap<ContractId, ScoringModel>; topology: PipelineTopology; onInference?: InferenceTiming; now?: () => Date },
  ) {}

  async score(batches: readonly FlowBatchMessage[]): Promise<DetectionResult[]> {
    const results = new Array<DetectionResult>(batches.length);
    const byContract = new Map<ContractId, number[]>();
    batches.forEach((b, i) => byContract.set(b.contract.id, [...(byContract.get(b.contract.id) ?? []), i]));
    for (const [contract, indices] of byContract) {
      const model = this.deps.models.get(contract);
      if (model === undefined) throw new Error(`no detection model for contract ${contract}`);
      const group = indices.map((i) => batches[i]);
      const { positive, decisions } = await this.run(model, contract, group);
      let offset = 0;
      group.forEach((message, k) => {
        results[indices[k]] = this.result({ model, message, positive: positive.subarray(offset, offset + message.header.count), decisions: decisions.subarray(offset, offset + message.header.count) });
        offset += message.header.count;
      });
    }
    return results;
  }

  private async run(model: ScoringModel, contract: ContractId, group: readonly FlowBatchMessage[]): Promise<{ positive: Float32Array; decisions: Uint8Array }> {
    const rows = group.reduce((n, m) => n + m.header.count, 0);
    let features: Float32Array;
    if (group.length === 1) features = group[0].features;
    else {
      const width = group[0].contract.features.length;
      let buffer = this.buffers.get(contract) ?? new Float32Array(0);
      if (buffer.length < rows * width) this.buffers.set(contract, (buffer = new Float32Array(Math.max(rows * width, buffer.length * 2))));
      let at = 0;
      for (const m of group) {
        buffer.set(m.features.subarray(0, m.header.count * width), at);
        at += m.header.count * width;
      }
      features = buffer;
    }
    if (rows === 0) return { positive: new Float32Array(0), decisions: new Uint8Array(0) };
    // Envelopes ride along for models that read context features (home-net membership of the IPs).
    const envelopes = group.length === 1 ? group[0].header.envelopes : group.flatMap((m) => m.header.envelopes);
    const started = process.hrtime.bigint();
    const out = await model.run(features, rows, envelopes);
    this.deps.onInference?.({ model, rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    if (out.positive === undefined || out.decisions === undefined) throw new Error(`${model.ref.name} is not a detect model`);
    // Copies: the runner's buffers are reused by its next call.
    return { positive: out.positive.slice(), decisions: out.decisions.slice() };
  }

  private result(args: { model: ScoringModel; message: FlowBatchMessage; positive: Float32Array; decisions: Uint8Array }): DetectionResult {
    const { header, contract } = args.message;
    const width = contract.features.length;
    const flagged: number[] = [];
    args.decisions.forEach((d, i) => d === 1 && flagged.push(i));
    const flaggedFeatures = new Float32Array(flagged.length * width);
    flagged.forEach((r, k) => flaggedFeatures.set(args.message.features.subarray(r * width, (r + 1) * width), k * width));
    const payload = encodeDetectionBatchMessage({
      header: {
        batchId: header.batchId, contract: header.contract, sensor: header.sensor, ingestedAt: header.ingestedAt,
        detectedAt: (this.deps.now ?? (() => new Date()))().toISOString(), correlationId: header.correlationId,
        model: args.model.ref, threshold: args.model.manifest.threshold ?? 0.5, count: header.count, featureCount: width,
        flowIds: header.flowIds, envelopes: header.envelopes, flagged,
      },
      attackProbabilities: args.positive, flaggedFeatures,
    });
    return {
      subject: this.deps.topology.subjects.detections(contract.id), msgId: `${header.batchId}:detect`, payload, contract: contract.id,
      flows: header.count, flagged: flagged.length, ingestedAt: header.ingestedAt, correlationId: header.correlationId,
    };
  }
}
