// One onnxruntime session per model, created once and reused for every batch. Output
// buffers are preallocated and grown on demand, so a steady stream of batches allocates
// nothing per run beyond onnxruntime's own tensors.
import * as ort from 'onnxruntime-node';
import { InferenceInputError, InferenceRunError, ModelLoadError } from './onnx-session.errors';

export interface OnnxModelSessionOptions {
  /** The ONNX model bytes. */
  readonly model: Uint8Array;
  /** Class labels in probability-column order; maps the `label` output to class indices. */
  readonly classLabels?: readonly (string | number)[];
  /** onnxruntime intra-op threads; 1 is the sane default on small boxes. */
  readonly intraOpNumThreads?: number;
}

export interface OnnxRunResult {
  /** Class index per row. A view on a reused buffer: valid until the next run. */
  readonly labels: Int32Array;
  /** nRows x nClasses. A view on a reused buffer: valid until the next run. */
  readonly probabilities: Float32Array;
}

interface Io {
  input: string;
  label: string;
  probabilities: string;
  nFeatures: number;
  nClasses: number;
  int64Labels: boolean;
}

function describeIo(session: ort.InferenceSession, classLabels?: readonly (string | number)[]): Io {
  const input = session.inputMetadata[0];
  const outputs = session.outputMetadata;
  const probs = outputs.find((o) => o.name === 'probabilities') ?? outputs[1];
  const label = outputs.find((o) => o.name === 'label') ?? outputs[0];
  if (!input?.isTensor || !probs?.isTensor || !label?.isTensor || input.type !== 'float32') {
    throw new ModelLoadError('model must take one float32 tensor and return label and probabilities tensors');
  }
  const nFeatures = input.shape[1];
  const nClasses = typeof probs.shape[1] === 'number' ? probs.shape[1] : classLabels?.length;
  if (typeof nFeatures !== 'number' || nClasses === undefined) {
    throw new ModelLoadError('model input width and class count must be fixed', { input: input.shape, probabilities: probs.shape });
  }
  return { input: input.name, label: label.name, probabilities: probs.name, nFeatures, nClasses, int64Labels: label.type === 'int64' };
}

export class OnnxModelSession {
  private probs = new Float32Array(0);
  private labels = new Int32Array(0);
  private rawLabels = new BigInt64Array(0);
  private readonly labelIndex: Map<string, number> | null;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly io: Io,
    classLabels?: readonly (string | number)[],
  ) {
    this.labelIndex = classLabels ? new Map(classLabels.map((l, i) => [String(l), i])) : null;
  }

  static async create(opts: OnnxModelSessionOptions): Promise<OnnxModelSession> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(opts.model, {
        intraOpNumThreads: opts.intraOpNumThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      });
    } catch (err) {
      throw new ModelLoadError('onnxruntime could not load the model', {}, err);
    }
    try {
      const io = describeIo(session, opts.classLabels);
      if (!io.int64Labels && !opts.classLabels) throw new ModelLoadError('string-labelled models need classLabels');
      return new OnnxModelSession(session, io, opts.classLabels);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  get nFeatures(): number {
    return this.io.nFeatures;
  }

  get nClasses(): number {
    return this.io.nClasses;
  }

  /** Runs nRows rows of row-major float32 features (NaN = missing). */
  async run(features: Float32Array, nRows: number): Promise<OnnxRunResult> {
    const { nFeatures, nClasses } = this.io;
    if (!Number.isInteger(nRows) || nRows < 1 || features.length < nRows * nFeatures) {
      throw new InferenceInputError('features must hold nRows x nFeatures values', { nRows, nFeatures, got: features.length });
    }
    this.ensureCapacity(nRows);
    const probs = this.probs.subarray(0, nRows * nClasses);
    const fetches: Record<string, ort.Tensor | null> = { [this.io.probabilities]: new ort.Tensor('float32', probs, [nRows, nClasses]) };
    // String labels cannot be preallocated: null asks onnxruntime to allocate that output.
    fetches[this.io.label] = this.io.int64Labels ? new ort.Tensor('int64', this.rawLabels.subarray(0, nRows), [nRows]) : null;
    let out: ort.InferenceSession.ReturnType;
    try {
      const input = new ort.Tensor('float32', features.subarray(0, nRows * nFeatures), [nRows, nFeatures]);
      out = await this.session.run({ [this.io.input]: input }, fetches);
    } catch (err) {
      throw new InferenceRunError('onnxruntime failed to run the batch', err);
    }
    const labels = this.labels.subarray(0, nRows);
    this.writeLabels(labels, out[this.io.label].data as ArrayLike<bigint | string>);
    return { labels, probabilities: probs };
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private ensureCapacity(nRows: number): void {
    if (this.labels.length >= nRows) return;
    const cap = Math.max(nRows, this.labels.length * 2);
    this.labels = new Int32Array(cap);
    this.rawLabels = new BigInt64Array(cap);
    this.probs = new Float32Array(cap * this.io.nClasses);
  }

  private writeLabels(labels: Int32Array, raw: ArrayLike<bigint | string>): void {
    const index = this.labelIndex;
    for (let i = 0; i < labels.length; i++) {
      const v = raw[i];
      labels[i] = index ? (index.get(String(v)) ?? -1) : Number(v);
    }
  }
}
