// One model version, ready to run on flow batches: the session is created once, the model's
// input is gathered from the contract-order block into a grow-only buffer (or passed through
// untouched when the model reads every feature in contract order), and runs are serialised
// because the session reuses its output buffers.
import { type Contract, type ModelManifest, featureIndex, getContract, modelManifestSchema } from '@vigil/contracts';
import { ModelManifestError } from './model-runner.errors';
import { OnnxModelSession } from './onnx-session';

export interface ModelRunnerOptions {
  readonly manifest: unknown;
  /** The ONNX model bytes. */
  readonly model: Uint8Array;
  readonly intraOpNumThreads?: number;
}

export interface ModelRunResult {
  readonly count: number;
  readonly nClasses: number;
  /** Class index per row. Views on reused buffers: valid until the next run. */
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
  private positive = new Float32Array(0);
  private decisions = new Uint8Array(0);
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly manifest: ModelManifest,
    readonly contract: Contract,
    /** Contract feature index per model input column; null when the two orders are the same. */
    private readonly columns: Int32Array | null,
    private readonly session: OnnxModelSession,
  ) {
    this.ref = { name: manifest.name, version: manifest.version };
  }

  static async create(opts: ModelRunnerOptions): Promise<ModelRunner> {
    const manifest = parseManifest(opts.manifest);
    const contract = contractOf(manifest);
    const columns = columnsOf(manifest, contract);
    const session = await OnnxModelSession.create({ model: opts.model, classLabels: manifest.classLabels, intraOpNumThreads: opts.intraOpNumThreads ?? 1 });
    if (session.nFeatures !== manifest.features.length || session.nClasses !== manifest.classLabels.length) {
      await session.release();
      throw new ModelManifestError(`${manifest.name} v${manifest.version}: the ONNX model takes ${session.nFeatures} features and gives ${session.nClasses} classes, the manifest says ${manifest.features.length} and ${manifest.classLabels.length}`, { name: manifest.name, version: manifest.version });
    }
    return new ModelRunner(manifest, contract, isIdentity(columns, contract) ? null : columns, session);
  }

  get classLabels(): readonly string[] {
    return this.manifest.classLabels;
  }

  /**
   * Runs `count` rows of a contract-order packed block (a FlowBatch's `features`). NaN and
   * ±Infinity reach onnxruntime untouched, as in training (NaN goes right at every split).
   */
  run(features: Float32Array, count: number): Promise<ModelRunResult> {
    const next = this.queue.then(() => this.runNow(features, count));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async release(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private async runNow(features: Float32Array, count: number): Promise<ModelRunResult> {
    const width = this.contract.features.length;
    const input = this.columns === null ? features.subarray(0, count * width) : this.gather(features, count, width);
    const out = await this.session.run(input, count);
    const nClasses = this.manifest.classLabels.length;
    if (this.manifest.task !== 'detect') return { count, nClasses, labels: out.labels, probabilities: out.probabilities };
    return { count, nClasses, labels: out.labels, probabilities: out.probabilities, ...this.decide(out.probabilities, count, nClasses) };
  }

  private gather(features: Float32Array, count: number, width: number): Float32Array {
    const columns = this.columns as Int32Array;
    const k = columns.length;
    if (this.gathered.length < count * k) this.gathered = new Float32Array(Math.max(count * k, this.gathered.length * 2));
    const out = this.gathered;
    for (let r = 0; r < count; r++) {
      const src = r * width;
      const dst = r * k;
      for (let j = 0; j < k; j++) out[dst + j] = features[src + columns[j]];
    }
    return out.subarray(0, count * k);
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

function columnsOf(manifest: ModelManifest, contract: Contract): Int32Array {
  const unknown = manifest.features.filter((f) => featureIndexOrUndefined(contract, f) === undefined);
  if (unknown.length > 0) {
    throw new ModelManifestError(`${manifest.name} v${manifest.version} names features ${contract.id} does not have: ${unknown.join(', ')}`, { unknown });
  }
  return Int32Array.from(manifest.features, (f) => featureIndexOrUndefined(contract, f) as number);
}

function featureIndexOrUndefined(contract: Contract, name: string): number | undefined {
  const i = featureIndex(contract, name);
  return i >= 0 ? i : undefined;
}

function isIdentity(columns: Int32Array, contract: Contract): boolean {
  return columns.length === contract.features.length && columns.every((c, i) => c === i);
}
