// The offline, single-process Vigil: every batch of every file goes through the detector of
// its contract, the flagged rows through the classifier (one model call each per batch, the
// same ModelRunner and decision rule as the pipeline stages), and the threats into the
// report, the results file, the explanations, the drift monitor and the policy simulation.
import { type ContractId, type FlowBatch, type FlowEnvelope } from '@vigil/contracts';
import { type ExplainMethod, type ModelExplainer, type RowExplanation, DriftMonitor, TreeExplainerPool, createModelExplainer, createModelInput } from '@vigil/ml';
import { type ClassifierRun } from './analyze.classifier';
import { type DecisionsSimulation } from './analyze.decisions';
import { type ModelPair, type AnalyzeModels } from './analyze.models';
import { type AnalyzeReport, type ExplainedPart, type ThreatExample, MAX_EXAMPLES, ReportTally, driftSummary } from './analyze.report';
import { ResultsWriter } from './analyze.results';
import { readBatches, fileSize } from './analyze.source';

export interface AnalyzeProgress { readonly fileIndex: number; readonly files: number; readonly bytesRead: number; readonly totalBytes: number; readonly rows: number }

export interface AnalyzeOptions {
  readonly files: readonly { path: string; display: string }[];
  readonly models: AnalyzeModels;
  readonly simulation: DecisionsSimulation;
  readonly outPath?: string;
  /** Explain every threat (top 3 in results.csv) with this method; examples are always explained with TreeSHAP, after inference. */
  readonly explainAll?: ExplainMethod;
  readonly drift?: boolean;
  /** The deployment's home net (--home-net), else each manifest's. */
  readonly homeNet?: readonly string[];
  readonly inWorker?: boolean;
  readonly batchSize?: number;
  readonly onProgress?: (p: AnalyzeProgress) => void;
}

interface ContractState {
  readonly pair: ModelPair;
  readonly explainers: Map<string, Promise<ModelExplainer>>;
  readonly drift?: { monitor: DriftMonitor; input: ReturnType<typeof createModelInput> };
}

interface PendingExample {
  readonly state: ContractState;
  readonly file: string;
  readonly row: number;
  /** A copy of the row (contract order): the batch is gone by the time examples are explained. */
  readonly features: Float32Array;
  readonly envelope: FlowEnvelope;
  readonly attackClass: string;
  readonly best: { index: number; probability: number };
  readonly detectorProbability: number;
}

export class Analysis {
  private readonly tally = new ReportTally();
  private readonly contracts = new Map<ContractId, Promise<ContractState>>();
  private readonly results?: ResultsWriter;
  // Explainers of identical forests are shared: the NSL-KDD classifier's gate is the detector.
  private readonly pool = new TreeExplainerPool();
  private readonly pending: PendingExample[] = [];
  private flagged = new Float32Array(0);

  constructor(private readonly opts: AnalyzeOptions) {
    if (opts.outPath) this.results = new ResultsWriter(opts.outPath);
  }

  async run(): Promise<AnalyzeReport> {
    const started = process.hrtime.bigint();
    try {
      for (const [i, file] of this.opts.files.entries()) await this.runFile(file, i);
    } finally {
      await this.results?.close();
    }
    // Inference is over: the onnxruntime sessions (~100 MB for the two NSL-KDD forests) go
    // before the examples' explainers are built, so the two never add up in the peak RSS.
    await this.opts.models.release();
    for (const p of this.pending) this.tally.examples.push(await this.example(p));
    const drift = this.opts.drift ? await this.driftReport() : null;
    return this.tally.report({ decisions: this.opts.simulation.summary(), drift, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
  }

  private async runFile(file: { path: string; display: string }, fileIndex: number): Promise<void> {
    const totalBytes = fileSize(file.path);
    const entry = { file: file.display, contract: '', variant: '', rows: 0, errorRows: 0 };
    this.tally.files.push(entry);
    for await (const { batch, bytesRead } of readBatches({ file: file.path, batchSize: this.opts.batchSize ?? 2048, inWorker: this.opts.inWorker ?? true })) {
      entry.contract = batch.contract.id;
      entry.variant = batch.variant;
      entry.rows += batch.count;
      entry.errorRows += batch.errors.length;
      this.tally.addErrors(file.display, batch.errors);
      if (batch.count > 0) await this.runBatch(batch, file.display);
      this.opts.onProgress?.({ fileIndex, files: this.opts.files.length, bytesRead, totalBytes, rows: this.tally.rows });
    }
  }

  private async runBatch(batch: FlowBatch, file: string): Promise<void> {
    const state = await this.state(batch.contract.id);
    const { detector, classifier } = state.pair;
    // Views on the detector's reused buffers: valid until its next run, after this batch.
    const det = await detector.run(batch.features, batch.count, batch.envelopes);
    const decisions = det.decisions as Uint8Array;
    const positive = det.positive as Float32Array;
    const flagged: number[] = [];
    for (let r = 0; r < batch.count; r++) if (decisions[r] === 1) flagged.push(r);
    const cls = flagged.length > 0
      ? await classifier.run({ features: this.gatherFlagged(batch, flagged), count: flagged.length, envelopes: flagged.map((r) => batch.envelopes[r]), rows: flagged, detector: det })
      : undefined;
    const explainer = this.opts.explainAll ? await this.explainer(state, 'detector', this.opts.explainAll) : undefined;
    // One gather per batch (model input, context features), not one per threat.
    const rowExplainer = explainer && { explainer, X: explainer.gather({ features: batch.features, count: batch.count, envelopes: batch.envelopes }) };
    state.drift?.monitor.observe(state.drift.input.gather({ features: batch.features, count: batch.count, envelopes: batch.envelopes }), batch.count);
    this.tally.rows += batch.count;
    let k = 0;
    for (let r = 0; r < batch.count; r++) {
      const threat = cls && decisions[r] === 1 ? this.threat({ state, batch, row: r, k: k++, cls, detectorProbability: positive[r], file, rowExplainer }) : undefined;
      this.results?.add({
        file, row: batch.rowNumbers[r], envelope: batch.envelopes[r], label: detector.classLabels[det.labels[r]], probability: positive[r], detector: `${detector.ref.name}@${detector.ref.version}`,
        ...(threat ? { attackClass: threat.attackClass, classProbability: threat.probability, classifier: `${classifier.ref.name}@${classifier.ref.version}`, top: threat.top } : {}),
      });
    }
    await this.results?.flush();
  }

  private gatherFlagged(batch: FlowBatch, flagged: readonly number[]): Float32Array {
    const width = batch.contract.features.length;
    if (this.flagged.length < flagged.length * width) this.flagged = new Float32Array(Math.max(flagged.length * width, this.flagged.length * 2));
    flagged.forEach((r, k) => this.flagged.set(batch.features.subarray(r * width, (r + 1) * width), k * width));
    return this.flagged;
  }

  private threat(a: { state: ContractState; batch: FlowBatch; row: number; k: number; cls: ClassifierRun; detectorProbability: number; file: string; rowExplainer?: { explainer: ModelExplainer; X: Float32Array } }): { attackClass: string; probability: number; top?: RowExplanation['top'] } {
    const { detector, classifier } = a.state.pair;
    const best = bestAttackClass(a.cls, a.k, classifier.manifest.normalClass);
    const attackClass = classifier.classLabels[best.index];
    const envelope: FlowEnvelope = a.batch.envelopes[a.row];
    this.tally.addThreat(attackClass, envelope.srcIp);
    const width = a.batch.contract.features.length;
    const features = a.batch.features.subarray(a.row * width, (a.row + 1) * width);
    if (this.pending.length < MAX_EXAMPLES) {
      this.pending.push({ state: a.state, file: a.file, row: a.batch.rowNumbers[a.row], features: features.slice(), envelope, attackClass, best, detectorProbability: a.detectorProbability });
    }
    const top = a.rowExplainer?.explainer.topOfRow({ X: a.rowExplainer.X, row: a.row, classIndex: detector.manifest.positiveClass ?? 1 });
    this.opts.simulation.observe({
      contract: a.batch.contract.id, flowId: envelope.flowId ?? null, srcIp: envelope.srcIp, attackClass, probability: best.probability, timestamp: envelope.timestamp,
      modelVersion: `${detector.ref.name}@${detector.ref.version}+${classifier.ref.name}@${classifier.ref.version}`,
      ...(top ? { topFeatures: top.map((t) => ({ name: t.feature, weight: t.contribution })) } : {}),
    });
    return { attackClass, probability: best.probability, ...(top ? { top } : {}) };
  }

  /** A threat explained with TreeSHAP: why an attack (the detector, or a gated classifier's gate) and why this class. */
  private async example(p: PendingExample): Promise<ThreatExample> {
    const { detector } = p.state.pair;
    const named = (await this.explainer(p.state, 'classifier', 'treeshap')).explainRow({ features: p.features, envelope: p.envelope, classIndex: p.best.index });
    const attack: RowExplanation = named.gate
      ? { explanation: named.gate.explanation, target: 'P(attack) (classifier gate)', top: named.gate.top }
      : (await this.explainer(p.state, 'detector', 'treeshap')).explainRow({ features: p.features, envelope: p.envelope, classIndex: detector.manifest.positiveClass ?? 1 });
    const part = (e: RowExplanation): ExplainedPart => ({ target: e.target, expectedValue: e.explanation.expectedValue, top: e.top });
    return {
      file: p.file, row: p.row, flowId: p.envelope.flowId ?? null, srcIp: p.envelope.srcIp ?? null, dstIp: p.envelope.dstIp ?? null,
      attackClass: p.attackClass, probability: p.best.probability, detectorProbability: p.detectorProbability,
      explanation: { method: 'treeshap', attack: part(attack), attackClass: part(named) },
    };
  }

  /** Built on first use only: a run without --explain builds none until its examples, after inference. */
  private explainer(state: ContractState, role: 'detector' | 'classifier', method: ExplainMethod): Promise<ModelExplainer> {
    const key = `${role}:${method}`;
    let e = state.explainers.get(key);
    if (!e) {
      const runner = state.pair[role];
      e = createModelExplainer({
        onnx: runner.onnx, contract: runner.contract, features: runner.manifest.features, classLabels: runner.classLabels, homeNet: this.opts.homeNet ?? runner.manifest.homeNet, method, pool: this.pool,
      });
      state.explainers.set(key, e);
    }
    return e;
  }
  private state(contract: ContractId): Promise<ContractState> {
    let s = this.contracts.get(contract);
    if (!s) {
      s = this.opts.models.for(contract).then((pair) => {
        const d = pair.detector;
        this.tally.models[contract] = { detector: d.ref, classifier: pair.classifier.ref };
        const drift = this.opts.drift ? { monitor: new DriftMonitor({ reference: d.manifest.referenceHistograms, window: { slots: 1 } }), input: createModelInput({ contract: d.contract, features: d.manifest.features, homeNet: this.opts.homeNet ?? d.manifest.homeNet }) } : undefined;
        return { pair, explainers: new Map(), drift };
      });
      this.contracts.set(contract, s);
    }
    return s;
  }

  private async driftReport(): Promise<Record<string, ReturnType<typeof driftSummary>>> {
    const out: Record<string, ReturnType<typeof driftSummary>> = {};
    for (const s of await Promise.all(this.contracts.values())) {
      if (s.drift) out[s.pair.detector.ref.name] = driftSummary(s.pair.detector.ref, s.drift.monitor.report());
    }
    return out;
  }
}

/** The pipeline's attack class: the most probable class other than a gated model's benign one (first on ties). */
export function bestAttackClass(cls: ClassifierRun, k: number, normalClass?: number): { index: number; probability: number } {
  const n = cls.nClasses;
  let best = -1;
  for (let c = 0; c < n; c++) if (c !== normalClass && (best < 0 || cls.probabilities[k * n + c] > cls.probabilities[k * n + best])) best = c;
  return { index: best, probability: Math.min(1, Math.max(0, cls.probabilities[k * n + best])) };
}
