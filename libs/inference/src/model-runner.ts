// One model version, ready to run on flow batches: the session is created once, the model's
// input is gathered from the contract-order block by @vigil/ml's createModelInput (the same
// gather training and `vigil evaluate` use, context features included) into a grow-only
// buffer, or passed through untouched when the model reads every feature in contract order;
// labels follow the manifest's decision rule (@vigil/ml `decide`). Runs are serialised
// because the session reuses its output buffers.
import { type Contract, type FlowEnvelope, type ModelManifest, getContract, modelManifestSchema } from '@vigil/contracts';
import { type DecisionRule, type ModelInput, createModelInput, decide } from '@vigil/ml';
import { InferenceInputError } from './onnx-session.errors';
import { ModelManifestError } from './model-runner.errors';
import { OnnxModelSession } from './onnx-session';

export interface ModelRunnerOptions {
  readonly manifest: unknown;
  /** The ONNX model bytes. */
  readonly model: Uint8Array;
  readonly intraOpNumThreads?: number;
  /** The deployment's home network (CIDRs); overrides the manifest's for context features. */
  readonly homeNet?: readonly string[];
}

export interface ModelRunResult {
  readonly count: number;
  readonly nClasses: number;
  /** Class index per row under the manifest's decision rule. Views on reused buffers: valid until the next run. */
  readonly labels: Int32Array;
  /** count × nClasses, row-major, classLabels order. */
  readonly probabilities: Float32Array;
  /** detect models: P(positiveClass) per row. */
  readonly positive?: Float32Array;
  /** detect models: 1 when P(positiveClass) >= threshold. */
  readonly decisions?: Uint8Array;
}

export class ModelRunner {
  readonly ref: { name: string; version: number };
  private gathered = new Float32Array(0);
  private labels = new Int32Array(0);
  private positive = new Float32Array(0);
  private decisions = new Uint8Array(0);
  private queue: Promise<unknown> = Promise.resolve();
  private inputObserver: ((X: Float32Array, count: number) => void) | undefined;

  private constructor(
    readonly manifest: ModelManifest,
    readonly contract: Contract,
    /** The model's input gather (contract block + envelopes -> model-input rows). */
    readonly input: ModelInput,
    private readonly rule: DecisionRule | null,
    private readonly session: OnnxModelSession,
    /** The ONNX bytes the session was made from (explainers read the trees from them). */
    readonly onnx: Uint8Array,
  ) {
    this.ref = { name: manifest.name, version: manifest.version };
  }

  static async create(opts: ModelRunnerOptions): Promise<ModelRunner> {
    const manifest = parseManifest(opts.manifest);
    const contract = contractOf(manifest);
    const input = inputOf(manifest, contract, opts.homeNet);
    const session = await OnnxModelSession.create({ model: opts.model, classLabels: manifest.classLabels, intraOpNumThreads: opts.intraOpNumThreads ?? 1 });
    if (session.nFeatures !== manifest.features.length || session.nClasses !== manifest.classLabels.length) {
      await session.release();
      throw new ModelManifestError(`${manifest.name} v${manifest.version}: the ONNX model takes ${session.nFeatures} features and gives ${session.nClasses} classes, the manifest says ${manifest.features.length} and ${manifest.classLabels.length}`, { name: manifest.name, version: manifest.version });
    }
    return new ModelRunner(manifest, contract, input, ruleOf(manifest), session, opts.model);
  }

  get classLabels(): readonly string[] {
    return this.manifest.classLabels;
  }

  /** True when the model reads envelope-derived context features (pass envelopes to run). */
  get needsEnvelopes(): boolean {
    return this.input.needsEnvelopes;
  }

  /**
   * Runs `count` rows of a contract-order packed block (a FlowBatch's `features`). NaN and
   * ±Infinity reach onnxruntime untouched, as in training (NaN goes right at every split).
   */
  run(features: Float32Array, count: number, envelopes?: readonly FlowEnvelope[]): Promise<ModelRunResult> {
    const next = this.queue.then(() => this.runNow(features, count, envelopes));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Sees every run's model-input block (model-input order) before inference, synchronously:
   * the block is a reused buffer, valid only during the call (drift monitors bin it there).
   */
  observeInput(observer: ((X: Float32Array, count: number) => void) | undefined): void {
    this.inputObserver = observer;
  }

  async release(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private async runNow(features: Float32Array, count: number, envelopes?: readonly FlowEnvelope[]): Promise<ModelRunResult> {
    const X = this.gather(features, count, envelopes);
    this.inputObserver?.(X, count);
    const out = await this.session.run(X, count);
    const nClasses = this.manifest.classLabels.length;
    const labels = this.rule === null ? out.labels : this.decideLabels(out.probabilities, count);
    if (this.manifest.task !== 'detect') return { count, nClasses, labels, probabilities: out.probabilities };
    return { count, nClasses, labels, probabilities: out.probabilities, ...this.decide(out.probabilities, count, nClasses) };
  }

  private gather(features: Float32Array, count: number, envelopes?: readonly FlowEnvelope[]): Float32Array {
    const width = this.contract.features.length;
    if (this.input.identity) return features.subarray(0, count * width);
    if (this.input.needsEnvelopes && (envelopes === undefined || envelopes.length < count)) {
      throw new InferenceInputError(`${this.manifest.name} reads context features: one envelope per row is needed`, { count, envelopes: envelopes?.length ?? 0 });
    }
    const k = this.input.width;
    if (this.gathered.length < count * k) this.gathered = new Float32Array(Math.max(count * k, this.gathered.length * 2));
    return this.input.gather({ features, count, envelopes, out: this.gathered });
  }

  private decideLabels(probabilities: Float32Array, count: number): Int32Array {
    if (this.labels.length < count) this.labels = new Int32Array(Math.max(count, this.labels.length * 2));
    return decide(this.rule as DecisionRule, probabilities, count, this.labels.subarray(0, count));
  }

  private decide(probabilities: Float32Array, count: number, nClasses: number): { positive: Float32Array; decisions: Uint8Array } {
    if (this.positive.length < count) {
      this.positive = new Float32Array(Math.max(count, this.positive.length * 2));
      this.decisions = new Uint8Array(this.positive.length);
    }
    const positiveClass = this.manifest.positiveClass as number;
    const threshold = this.manifest.threshold as number;
    const positive = this.positive.subarray(0, count);
    const decisions = this.decisions.subarray(0, count);
    for (let r = 0; r < count; r++) {
      const p = probabilities[r * nClasses + positiveClass];
      positive[r] = p;
      decisions[r] = p >= threshold ? 1 : 0;
    }
    return { positive, decisions };
  }
}

function parseManifest(value: unknown): ModelManifest {
  const parsed = modelManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 8).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ModelManifestError(`model manifest is invalid: ${issues.join('; ')}`, { issues });
  }
  return parsed.data;
}

function contractOf(manifest: ModelManifest): Contract {
  const contract = getContract(manifest.contract.id);
  if (contract.version !== manifest.contract.version) {
    throw new ModelManifestError(`${manifest.name} v${manifest.version} reads ${contract.id} v${manifest.contract.version}; this build has v${contract.version}`, { name: manifest.name });
  }
  return contract;
}

function inputOf(manifest: ModelManifest, contract: Contract, homeNet?: readonly string[]): ModelInput {
  try {
    return createModelInput({ contract, features: manifest.features, homeNet: homeNet ?? manifest.homeNet });
  } catch (err) {
    throw new ModelManifestError(`${manifest.name} v${manifest.version}: ${err instanceof Error ? err.message : String(err)}`, { name: manifest.name }, err);
  }
}

/** The manifest's decision rule, or null when the model's own argmax label is the answer. */
function ruleOf(manifest: ModelManifest): DecisionRule | null {
  const nClasses = manifest.classLabels.length;
  if (manifest.task === 'detect') return { task: 'detect', nClasses, positiveClass: manifest.positiveClass, threshold: manifest.threshold };
  if (manifest.normalClass !== undefined) return { task: 'classify', nClasses, normalClass: manifest.normalClass, threshold: manifest.threshold };
  return null;
}
