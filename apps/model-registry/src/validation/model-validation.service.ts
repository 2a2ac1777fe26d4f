import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type ContractId, type FlowEnvelope, type ModelManifest } from '@vigil/contracts';
import { ModelLoadError, ModelRunner, OnnxModelSession, readSampleRows } from '@vigil/inference';
import { readOnnxTreeEnsemble } from '@vigil/ml';
import { REGISTRY_CONFIG } from '../config/model-registry.tokens';
import { type ModelRegistryConfig } from '../config/model-registry.config';
import { REGISTRY_ERROR_CODES as C, RegistryError } from '../model-registry.errors';
import { checkContract, checkOnnxLabels, checkProbabilities, checkShape, contextFeaturesOf, parseManifest } from './manifest.rules';

export interface ValidatedModel {
  readonly manifest: ModelManifest;
  readonly sha256: string;
  readonly sizeBytes: number;
  /** Wall time of the whole validation, onnxruntime load and golden run included. */
  readonly validationMs: number;
  readonly goldenRows: number;
}

// Envelopes travel with the rows: models reading context features (ctx.*) derive them from these.
type Golden = { features: Float32Array; count: number; envelopes: readonly FlowEnvelope[] };

/**
 * Accepts a model version only when onnxruntime loads it, its shapes and labels agree with its
 * manifest and contract, and real rows of that contract (the committed samples) come out as
 * valid probabilities. Nothing is stored here.
 */
@Injectable()
export class ModelValidationService {
  private readonly golden = new Map<ContractId, Promise<Golden>>();

  constructor(@Inject(REGISTRY_CONFIG) private readonly config: Pick<ModelRegistryConfig, 'maxModelBytes' | 'goldenRows'>) {}

  checkSize(sizeBytes: number): void {
    if (sizeBytes > this.config.maxModelBytes) {
      throw new RegistryError(C.ModelTooLarge, `model is ${sizeBytes} bytes; the registry accepts at most ${this.config.maxModelBytes} (REGISTRY_MAX_MODEL_BYTES)`, {
        sizeBytes, maxBytes: this.config.maxModelBytes,
      });
    }
  }

  async validate(rawManifest: unknown, model: Uint8Array): Promise<ValidatedModel> {
    const started = performance.now();
    this.checkSize(model.byteLength);
    const manifest = parseManifest(rawManifest);
    checkContract(manifest, contextFeaturesOf(rawManifest));
    await this.checkSession(manifest, model);
    checkOnnxLabels(manifest, onnxLabelsOf(model));
    const golden = await this.goldenRun(manifest, model);
    return {
      manifest, sha256: createHash('sha256').update(model).digest('hex'), sizeBytes: model.byteLength,
      validationMs: performance.now() - started, goldenRows: golden,
    };
  }

  private async checkSession(manifest: ModelManifest, model: Uint8Array): Promise<void> {
    let session: OnnxModelSession;
    try {
      session = await OnnxModelSession.create({ model, classLabels: manifest.classLabels });
    } catch (err) {
      const why = err instanceof ModelLoadError && err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err instanceof Error ? err.message : String(err);
      throw new RegistryError(C.ModelInvalidOnnx, `onnxruntime cannot use the artifact as a classifier (${why.split('\n')[0]})`, {}, err);
    }
    try {
      checkShape(manifest, session);
    } finally {
      await session.release();
    }
  }

  private async goldenRun(manifest: ModelManifest, model: Uint8Array): Promise<number> {
    const golden = await this.goldenRows(manifest.contract.id);
    let runner: ModelRunner;
    try {
      runner = await ModelRunner.create({ manifest, model });
    } catch (err) {
      throw new RegistryError(C.ModelContractMismatch, `the model cannot be fed from contract ${manifest.contract.id}@${manifest.contract.version}: ${err instanceof Error ? err.message : String(err)}`, {}, err);
    }
    try {
      const out = await runner.run(golden.features, golden.count, golden.envelopes);
      checkProbabilities({ probabilities: out.probabilities, labels: out.labels, count: golden.count, classLabels: manifest.classLabels, normalClass: manifest.normalClass, positiveClass: manifest.positiveClass, threshold: manifest.threshold });
      return golden.count;
    } finally {
      await runner.release();
    }
  }

  private goldenRows(contract: ContractId): Promise<Golden> {
    let rows = this.golden.get(contract);
    if (rows === undefined) {
      rows = readSampleRows(contract).then((all) => {
        const count = Math.min(all.count, this.config.goldenRows);
        return { features: all.features.slice(0, (all.features.length / all.count) * count), count, envelopes: all.envelopes.slice(0, count) };
      });
      this.golden.set(contract, rows);
    }
    return rows;
  }
}

/** Class labels written in a tree-ensemble graph; undefined for other classifiers (the golden run checks those). */
function onnxLabelsOf(model: Uint8Array): readonly (string | number)[] | undefined {
  try {
    return readOnnxTreeEnsemble(model).classLabels;
  } catch {
    return undefined;
  }
}
