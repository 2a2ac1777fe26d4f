// The offline, single-process Vigil: every batch of every file goes through the detector of
// its contract, the flagged rows through the classifier (one model call each per batch, the
// same ModelRunner and decision rule as the pipeline stages), and the threats into the
// report, the results file, the explanations, the drift monitor and the policy simulation.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type ContractId, type FlowBatch, type FlowEnvelope } from '@vigil/contracts';
import { type ModelRunResult } from '@vigil/inference';
import { type ExplainMethod, type ModelExplainer, type RowExplanation, DriftMonitor, createModelExplainer, createModelInput } from '@vigil/ml';
import { type DecisionsSimulation } from './analyze.decisions';
import { type ModelPair, type AnalyzeModels } from './analyze.models';
import { type AnalyzeReport, type ExplainedPart, ReportTally, driftSummary } from './analyze.report';
import { type ResultRow, ResultsWriter } from './analyze.results';
import { readBatches, fileSize } from './analyze.source';

export interface AnalyzeProgress { readonly fileIndex: number; readonly files: number; readonly bytesRead: number; readonly totalBytes: number; readonly rows: number }

export interface AnalyzeOptions {
  readonly files: readonly { path: string; display: string }[];
  readonly models: AnalyzeModels;
  readonly simulation: DecisionsSimulation;
  readonly outPath?: string;
  /** Explain every threat (top 3 in results.csv) with this method; examples are always explained with TreeSHAP. */
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

export class Analysis {
  private readonly tally = new ReportTally();
  private readonly contracts = new Map<ContractId, Promise<ContractState>>();
  private readonly results?: ResultsWriter;
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
    const det = await detector.run(batch.features, batch.count, batch.envelopes);
    const positive = Float32Array.from(det.positive as Float32Array);
    const labels = Int32Array.from(det.labels);
    const flagged: number[] = [];
    for (let r = 0; r < batch.count; r++) if ((det.decisions as Uint8Array)[r] === 1) flagged.push(r);
    const cls = flagged.length > 0 ? await classifier.run(this.gatherFlagged(batch, flagged), flagged.length, flagged.map((r) => batch.envelopes[r])) : undefined;
    state.drift?.monitor.observe(state.drift.input.gather({ features: batch.features, count: batch.count, envelopes: batch.envelopes }), batch.count);
    this.tally.rows += batch.count;
    const rows: ResultRow[] = [];
    const byRow = new Map(flagged.map((r, k) => [r, k]));
    for (let r = 0; r < batch.count; r++) {
      const k = byRow.get(r);
      const threat = k === undefined || !cls ? undefined : await this.threat({ state, batch, row: r, k, cls, detectorProbability: positive[r], file });
      if (this.results) {
        rows.push({
          file, row: batch.rowNumbers[r], envelope: batch.envelopes[r], label: detector.classLabels[labels[r]], probability: positive[r], detector: `${detector.ref.name}@${detector.ref.version}`,
          ...(threat ? { attackClass: threat.attackClass, classProbability: threat.probability, classifier: `${classifier.ref.name}@${classifier.ref.version}`, top: threat.top } : {}),
        });
      }
    }
    await this.results?.write(rows);
  }

  private gatherFlagged(batch: FlowBatch, flagged: readonly number[]): Float32Array {
    const width = batch.contract.features.length;
    if (this.flagged.length < flagged.length * width) this.flagged = new Float32Array(Math.max(flagged.length * width, this.flagged.length * 2));
    flagged.forEach((r, k) => this.flagged.set(batch.features.subarray(r * width, (r + 1) * width), k * width));
    return this.flagged;
  }

  private async threat(a: { state: ContractState; batch: FlowBatch; row: number; k: number; cls: ModelRunResult; detectorProbability: number; file: string }): Promise<{ attackClass: string; probability: number; top?: RowExplanation['top'] }> {
    const { classifier } = a.state.pair;
    const best = bestAttackClass(a.cls, a.k, classifier.manifest.normalClass);
    const attackClass = classifier.classLabels[best.index];
    const envelope: FlowEnvelope = a.batch.envelopes[a.row];
    this.tally.addThreat(attackClass, envelope.srcIp);
    const width = a.batch.contract.features.length;
    const features = a.batch.features.subarray(a.row * width, (a.row + 1) * width);
    if (this.tally.wantsExamples) await this.example({ ...a, features, envelope, attackClass, best });
    const top = this.opts.explainAll
      ? (await this.explainer(a.state, 'detector', this.opts.explainAll)).explainRow({ features, envelope, classIndex: a.state.pair.detector.manifest.positiveClass ?? 1 }).top
      : undefined;
    const { detector } = a.state.pair;
    this.opts.simulation.observe({
      contract: a.batch.contract.id, flowId: envelope.flowId ?? null, srcIp: envelope.srcIp, attackClass, probability: best.probability, timestamp: envelope.timestamp,
      modelVersion: `${detector.ref.name}@${detector.ref.version}+${classifier.ref.name}@${classifier.ref.version}`,
      ...(top ? { topFeatures: top.map((t) => ({ name: t.feature, weight: t.contribution })) } : {}),
    });
    return { attackClass, probability: best.probability, ...(top ? { top } : {}) };
  }

  private async example(a: { state: ContractState; file: string; batch: FlowBatch; row: number; features: Float32Array; envelope: FlowEnvelope; attackClass: string; best: { index: number; probability: number }; detectorProbability: number }): Promise<void> {
    const { detector } = a.state.pair;
    const named = (await this.explainer(a.state, 'classifier', 'treeshap')).explainRow({ features: a.features, envelope: a.envelope, classIndex: a.best.index });
    // A gated classifier's gate already answers "why an attack": loading the detector's forest
    // a second time would cost tens of MB on the large NSL-KDD forests.
    const attack: RowExplanation = named.gate
      ? { explanation: named.gate.explanation, target: 'P(attack) (classifier gate)', top: named.gate.top }
      : (await this.explainer(a.state, 'detector', 'treeshap')).explainRow({ features: a.features, envelope: a.envelope, classIndex: detector.manifest.positiveClass ?? 1 });
    const part = (e: RowExplanation): ExplainedPart => ({ target: e.target, expectedValue: e.explanation.expectedValue, top: e.top });
    this.tally.examples.push({
      file: a.file, row: a.batch.rowNumbers[a.row], flowId: a.envelope.flowId ?? null, srcIp: a.envelope.srcIp ?? null, dstIp: a.envelope.dstIp ?? null,
      attackClass: a.attackClass, probability: a.best.probability, detectorProbability: a.detectorProbability,
      explanation: { method: 'treeshap', attack: part(attack), attackClass: part(named) },
    });
  }

  private explainer(state: ContractState, role: 'detector' | 'classifier', method: ExplainMethod): Promise<ModelExplainer> {
    const key = `${role}:${method}`;
    let e = state.explainers.get(key);
    if (!e) {
      const runner = state.pair[role];
      const dir = state.pair.dirs[role];
      e = readFile(path.join(dir, 'model.onnx')).then((bytes) => createModelExplainer({
        onnx: new Uint8Array(bytes), contract: runner.contract, features: runner.manifest.features, classLabels: runner.classLabels, homeNet: this.opts.homeNet ?? runner.manifest.homeNet, method,
      }));
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
export function bestAttackClass(cls: ModelRunResult, k: number, normalClass?: number): { index: number; probability: number } {
  const n = cls.nClasses;
  let best = -1;
  for (let c = 0; c < n; c++) if (c !== normalClass && (best < 0 || cls.probabilities[k * n + c] > cls.probabilities[k * n + best])) best = c;
  return { index: best, probability: Math.min(1, Math.max(0, cls.probabilities[k * n + best])) };
}
