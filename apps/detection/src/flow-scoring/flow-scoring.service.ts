import { type ContractId, type FlowBatchMessage, type FlowEnvelope, type ModelRef, encodeDetectionBatchMessage } from '@vigil/contracts';
import { type FlowsResult, RowBlock, type ShadowResult, type StageResult, type StageScorer, type StageScorerDeps, servedRows } from '@vigil/inference';

/** Every row of one contract's micro-batch: P(attack), the decision, and which part scored it. */
interface Scored {
  readonly result: FlowsResult;
  readonly positive: Float32Array;
  readonly decisions: Uint8Array;
  readonly part: Uint8Array;
}

/**
 * Scores several input flow batches with one model call per contract (their features laid
 * side by side), each flow routed to production or the canary by its flow id, then splits the
 * answers back into one result message per input batch: P(attack) for every flow, the features
 * of the flagged ones, and which version scored which rows. A shadow's answers go aside.
 */
export class FlowScoringService implements StageScorer<FlowBatchMessage> {
  private readonly blocks = new Map<ContractId, RowBlock>();

  constructor(private readonly deps: StageScorerDeps & { now?: () => Date }) {}

  async score(batches: readonly FlowBatchMessage[]): Promise<{ results: StageResult[]; shadow: ShadowResult[] }> {
    const results = new Array<StageResult>(batches.length);
    const shadow: ShadowResult[] = [];
    const byContract = new Map<ContractId, number[]>();
    batches.forEach((b, i) => byContract.set(b.contract.id, [...(byContract.get(b.contract.id) ?? []), i]));
    for (const [contract, indices] of byContract) {
      const group = indices.map((i) => batches[i]);
      const scored = await this.run(contract, group);
      let offset = 0;
      group.forEach((message, k) => {
        const n = message.header.count;
        results[indices[k]] = this.result({ message, scored, offset });
        if (scored.result.shadow !== undefined) shadow.push(this.shadowResult({ message, scored, offset }));
        offset += n;
      });
    }
    return { results, shadow };
  }

  private async run(contract: ContractId, group: readonly FlowBatchMessage[]): Promise<Scored> {
    const width = group[0].contract.features.length;
    let features = group[0].features;
    let count = group[0].header.count;
    let flowIds: readonly string[] = group[0].header.flowIds;
    let envelopes: readonly FlowEnvelope[] = group[0].header.envelopes;
    if (group.length > 1) {
      const block = (this.blocks.get(contract) ?? this.blocks.set(contract, new RowBlock(width)).get(contract) as RowBlock).reset();
      for (const m of group) block.append(m.features, m.header.count);
      ({ rows: count } = block);
      features = block.view();
      flowIds = group.flatMap((m) => m.header.flowIds);
      // Envelopes ride along for models that read context features (home-net membership of the IPs).
      envelopes = group.flatMap((m) => m.header.envelopes);
    }
    const started = process.hrtime.bigint();
    const result = await this.deps.models.runFlows(contract, { flowIds, features, count, envelopes });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const p of result.parts) this.deps.onInference({ model: p.model, rows: p.output.count, seconds });
    if (result.parts.length === 1 && result.parts[0].rows === null) {
      const { positive, decisions } = result.parts[0].output;
      if (positive === undefined || decisions === undefined) throw new Error(`${result.parts[0].model.name} is not a detect model`);
      return { result, positive, decisions, part: new Uint8Array(count) };
    }
    const { part, at } = servedRows(result.parts, count);
    const positive = new Float32Array(count);
    const decisions = new Uint8Array(count);
    for (let r = 0; r < count; r++) {
      const out = result.parts[part[r]].output;
      positive[r] = (out.positive as Float32Array)[at[r]];
      decisions[r] = (out.decisions as Uint8Array)[at[r]];
    }
    return { result, positive, decisions, part };
  }

  private result(args: { message: FlowBatchMessage; scored: Scored; offset: number }): StageResult {
    const { header, contract } = args.message;
    const { parts } = args.scored.result;
    const width = contract.features.length;
    const flagged: number[] = [];
    const canaryRows: number[] = [];
    for (let i = 0; i < header.count; i++) {
      if (args.scored.decisions[args.offset + i] === 1) flagged.push(i);
      if (parts[args.scored.part[args.offset + i]].role === 'canary') canaryRows.push(i);
    }
    const flaggedFeatures = new Float32Array(flagged.length * width);
    flagged.forEach((r, k) => flaggedFeatures.set(args.message.features.subarray(r * width, (r + 1) * width), k * width));
    const canary = parts.find((p) => p.role === 'canary');
    const allCanary = canary !== undefined && canaryRows.length === header.count;
    const main = allCanary ? canary : (parts.find((p) => p.role === 'production') ?? parts[0]);
    const payload = encodeDetectionBatchMessage({
      header: {
        batchId: header.batchId, contract: header.contract, sensor: header.sensor, ingestedAt: header.ingestedAt,
        detectedAt: (this.deps.now ?? (() => new Date()))().toISOString(), correlationId: header.correlationId,
        model: main.model, threshold: main.manifest.threshold ?? 0.5, count: header.count, featureCount: width,
        flowIds: header.flowIds, envelopes: header.envelopes, flagged,
        ...(canary && !allCanary && canaryRows.length > 0 ? { canary: { model: canary.model, threshold: canary.manifest.threshold ?? 0.5, rows: canaryRows } } : {}),
      },
      attackProbabilities: args.scored.positive.subarray(args.offset, args.offset + header.count), flaggedFeatures,
    });
    return {
      subject: this.deps.topology.subjects.detections(contract.id), msgId: `${header.batchId}:detect`, payload, contract: contract.id,
      flows: header.count, ingestedAt: header.ingestedAt, correlationId: header.correlationId,
    };
  }

  private shadowResult(args: { message: FlowBatchMessage; scored: Scored; offset: number }): ShadowResult {
    const { header, contract } = args.message;
    const shadow = args.scored.result.shadow as NonNullable<FlowsResult['shadow']>;
    const flagged: number[] = [];
    let agreed = 0;
    for (let i = 0; i < header.count; i++) {
      const d = (shadow.output.decisions as Uint8Array)[args.offset + i];
      if (d === 1) flagged.push(i);
      if (d === args.scored.decisions[args.offset + i]) agreed += 1;
    }
    const production: ModelRef = (args.scored.result.parts.find((p) => p.role === 'production') ?? args.scored.result.parts[0]).model;
    const body = { v: 1, batchId: header.batchId, contract: header.contract, model: shadow.model, production, count: header.count, agreed, flowIds: header.flowIds, flagged };
    return { subject: this.deps.topology.subjects.shadow('detections', contract.id), payload: new TextEncoder().encode(JSON.stringify(body)) };
  }
}
