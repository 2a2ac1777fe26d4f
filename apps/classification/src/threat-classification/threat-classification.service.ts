import { type ContractId, type DetectionBatchMessage, type ModelRef, type Threat, encodeThreatBatchMessage } from '@vigil/contracts';
import { type FlowRows, type FlowsResult, RowBlock, type ServedPart, type ShadowResult, type StageResult, type StageScorer, type StageScorerDeps, classOfRows, pickRows, servedRows } from '@vigil/inference';

interface Classified {
  readonly result: FlowsResult;
  readonly part: Uint8Array;
  readonly at: Int32Array;
  /** Per part: its rows gathered into its model's input, for its explainer (none without one). */
  readonly inputs: readonly (Float32Array | undefined)[];
}

/**
 * Classifies the flagged flows of several detection batches with one model call per contract,
 * each flow routed to production or the canary by its flow id, then writes one threat batch per
 * detection batch that flagged anything: attack class, its probability, the top three classes,
 * the detector's probability, and the versions that made it. A shadow's classes go aside.
 */
export class ThreatClassificationService implements StageScorer<DetectionBatchMessage> {
  private readonly blocks = new Map<ContractId, RowBlock>();

  constructor(private readonly deps: StageScorerDeps & { now?: () => Date }) {}

  async score(batches: readonly DetectionBatchMessage[]): Promise<{ results: StageResult[]; shadow: ShadowResult[] }> {
    const results: StageResult[] = [];
    const shadow: ShadowResult[] = [];
    const byContract = new Map<ContractId, DetectionBatchMessage[]>();
    for (const b of batches) if (b.header.flagged.length > 0) byContract.set(b.contract.id, [...(byContract.get(b.contract.id) ?? []), b]);
    for (const [contract, group] of byContract) {
      const classified = await this.run(contract, group);
      const s = classified.result.shadow;
      const shadowClasses = s && Array.from(s.output.labels, (c) => s.manifest.classLabels[c]);
      const servedClasses = s && classOfRows(classified.result.parts, s.output.count);
      let row = 0;
      for (const message of group) {
        results.push(this.result({ message, classified, offset: row }));
        if (shadowClasses && servedClasses) shadow.push(this.shadowResult({ message, classified, offset: row, shadowClasses, servedClasses }));
        row += message.header.flagged.length;
      }
    }
    return { results, shadow };
  }

  private async run(contract: ContractId, group: readonly DetectionBatchMessage[]): Promise<Classified> {
    const block = (this.blocks.get(contract) ?? this.blocks.set(contract, new RowBlock(group[0].contract.features.length)).get(contract) as RowBlock).reset();
    for (const m of group) block.append(m.flaggedFeatures, m.header.flagged.length);
    const flowIds = group.flatMap((m) => m.header.flagged.map((i) => m.header.flowIds[i]));
    const envelopes = group.flatMap((m) => m.header.flagged.map((i) => m.header.envelopes[i]));
    const started = process.hrtime.bigint();
    const flows: FlowRows = { flowIds, features: block.view(), count: block.rows, envelopes };
    const result = await this.deps.models.runFlows(contract, flows);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const p of result.parts) this.deps.onInference({ model: p.model, rows: p.output.count, seconds });
    return { result, ...servedRows(result.parts, block.rows), inputs: result.parts.map((p) => explainerInput(p, flows)) };
  }

  private result(args: { message: DetectionBatchMessage; classified: Classified; offset: number }): StageResult {
    const { header } = args.message;
    const { parts } = args.classified.result;
    const main = parts.find((p) => p.role === 'production') ?? parts[0];
    const detectorCanary = new Set(header.canary?.rows ?? []);
    // Explanations go on the wire as the JSON text the explainer writes (no object per threat).
    const explanations: (string | undefined)[] = [];
    const threats: Threat[] = header.flagged.map((i, k) => {
      const p = args.classified.part[args.offset + k];
      const part = parts[p];
      const at = args.classified.at[args.offset + k];
      const { classIndex, attackClass, probability, top } = threatOf(part, at);
      const input = args.classified.inputs[p];
      const threat: Threat = { flowId: header.flowIds[i], envelope: header.envelopes[i], attackClass, probability, top, detectorProbability: clamp(args.message.attackProbabilities[i]) };
      explanations.push(input && part.addons.explainer?.explainJson(input, at, classIndex));
      if (header.canary && detectorCanary.has(i)) threat.detector = header.canary.model;
      if (part !== main) threat.classifier = part.model;
      return threat;
    });
    const payload = encodeThreatBatchMessage({
      batchId: header.batchId, contract: header.contract, sensor: header.sensor, ingestedAt: header.ingestedAt, detectedAt: header.detectedAt,
      classifiedAt: (this.deps.now ?? (() => new Date()))().toISOString(), correlationId: header.correlationId,
      detector: header.model, classifier: main.model, threats,
    }, explanations);
    return {
      subject: this.deps.topology.subjects.threats(args.message.contract.id), msgId: `${header.batchId}:classify`, payload,
      contract: args.message.contract.id, flows: threats.length, ingestedAt: header.ingestedAt, correlationId: header.correlationId,
    };
  }

  private shadowResult(args: { message: DetectionBatchMessage; classified: Classified; offset: number; shadowClasses: string[]; servedClasses: string[] }): ShadowResult {
    const { header } = args.message;
    const n = header.flagged.length;
    const classes = args.shadowClasses.slice(args.offset, args.offset + n);
    const agreed = classes.filter((c, k) => c === args.servedClasses[args.offset + k]).length;
    const shadow = args.classified.result.shadow as NonNullable<FlowsResult['shadow']>;
    const production: ModelRef = (args.classified.result.parts.find((p) => p.role === 'production') ?? args.classified.result.parts[0]).model;
    const body = { v: 1, batchId: header.batchId, contract: header.contract, model: shadow.model, production, count: n, agreed, flowIds: header.flagged.map((i) => header.flowIds[i]), classes };
    return { subject: this.deps.topology.subjects.shadow('threats', args.message.contract.id), payload: new TextEncoder().encode(JSON.stringify(body)) };
  }
}

/** The rows a part answered, as its explainer's model input (one gather per call, not per threat). */
function explainerInput(part: ServedPart, flows: FlowRows): Float32Array | undefined {
  const explainer = part.addons.explainer;
  if (explainer === undefined) return undefined;
  const rows = part.rows === null ? flows : pickRows(flows, part.rows);
  return explainer.gather(rows.features, rows.count, rows.envelopes);
}

/** Attack class (and its index), its probability and the top three, under the manifest of the version that answered. */
function threatOf(part: ServedPart, j: number): Pick<Threat, 'attackClass' | 'probability' | 'top'> & { classIndex: number } {
  const labels = part.manifest.classLabels;
  const n = labels.length;
  const p = part.output.probabilities;
  // A gated classifier's benign class only gates; the attack class is the best of the others.
  const normal = part.manifest.normalClass;
  // The three most probable classes by insertion (ties: lower class index first): no per-threat sort.
  const best: number[] = [];
  for (let c = 0; c < n; c++) {
    if (c === normal) continue;
    const v = clamp(p[j * n + c]);
    if (best.length === 3 && v <= clamp(p[j * n + best[2]])) continue;
    if (best.length < 3) best.push(c);
    else best[2] = c;
    let k = best.length - 1;
    while (k > 0 && clamp(p[j * n + best[k - 1]]) < v) {
      best[k] = best[k - 1];
      k--;
    }
    best[k] = c;
  }
  const top = best.map((c) => ({ class: labels[c], probability: clamp(p[j * n + c]) }));
  return { attackClass: top[0].class, probability: top[0].probability, top, classIndex: best[0] };
}

// float32 sums can land a hair outside [0, 1].
function clamp(p: number): number {
  return Math.min(1, Math.max(0, p));
}
