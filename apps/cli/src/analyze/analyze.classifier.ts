// The classifier `vigil analyze` runs on the rows the detector flagged. A gated classifier
// computes P(normal) = P_det(normal), P(k) = P_det(attack) × P_cat(k) with a whole detector
// forest as its gate; when that gate is the detector `analyze` already ran, node for node, on
// the same input (the shipped NSL-KDD pair: 116k nodes), only the category forest gets an
// onnxruntime session and the product is taken from the detector's own probabilities, in
// float32 as the graph's Split/Mul/Concat do: the same numbers, without holding (~28 MB) and
// running the big forest a second time. Otherwise the classifier runs whole, as the pipeline.
import { type Contract, type FlowEnvelope, type ModelManifest } from '@vigil/contracts';
import { ModelRunner, type ModelRunResult } from '@vigil/inference';
import { exportOnnx, gateMatchesDetector, readGatedCategories } from '@vigil/ml';

export interface ClassifierRun {
  readonly nClasses: number;
  /** count × nClasses, classLabels order. */
  readonly probabilities: Float32Array;
}

export interface FlaggedClassifier {
  readonly ref: { readonly name: string; readonly version: number };
  readonly manifest: ModelManifest;
  readonly contract: Contract;
  readonly classLabels: readonly string[];
  /** The classifier's own ONNX bytes: explanations read its trees (gate included). */
  readonly onnx: Uint8Array;
  /** True when the gate is computed once, by the detector. */
  readonly sharesDetectorGate: boolean;
  /** `rows`: the flagged rows' indexes in the batch the detector ran on (`detector`: its result). */
  run(args: { features: Float32Array; count: number; envelopes: readonly FlowEnvelope[]; rows: readonly number[]; detector: ModelRunResult }): Promise<ClassifierRun>;
  release(): Promise<void>;
}

export function wholeClassifier(runner: ModelRunner): FlaggedClassifier {
  return {
    ref: runner.ref, manifest: runner.manifest, contract: runner.contract, classLabels: runner.classLabels, onnx: runner.onnx, sharesDetectorGate: false,
    run: ({ features, count, envelopes }) => runner.run(features, count, envelopes),
    release: () => runner.release(),
  };
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean => (a ?? []).join('\n') === (b ?? []).join('\n');

/**
 * The classifier with its gate shared with `detector`, or undefined when it does not qualify
 * (not gated, normal class not first, other features or home net, or another gate forest).
 * `manifest` is already validated (parsed by the caller's schema).
 */
export async function gateSharingClassifier(args: { manifest: ModelManifest; onnx: Uint8Array; detector: ModelRunner; homeNet?: readonly string[] }): Promise<FlaggedClassifier | undefined> {
  const { manifest: m, detector } = args;
  if (m.task !== 'classify' || m.normalClass !== 0) return undefined;
  if (m.contract.id !== detector.manifest.contract.id || !sameList(m.features, detector.manifest.features)) return undefined;
  if (!args.homeNet && !sameList(m.homeNet, detector.manifest.homeNet)) return undefined;
  if (detector.manifest.positiveClass !== 1) return undefined;
  // Bytes compared in place: decoding the two forests would cost ~50 MB of heap at startup.
  if (!gateMatchesDetector({ gated: args.onnx, detector: detector.onnx })) return undefined;
  const attackLabels = m.classLabels.slice(1);
  const categories = await ModelRunner.create({
    manifest: { ...m, classLabels: attackLabels, normalClass: undefined, threshold: undefined },
    model: exportOnnx(readGatedCategories(args.onnx, m.features.length), { classLabels: attackLabels }),
    homeNet: args.homeNet,
  });
  const k = attackLabels.length;
  let out = new Float32Array(0);
  return {
    ref: { name: m.name, version: m.version }, manifest: m, contract: categories.contract, classLabels: m.classLabels, onnx: args.onnx, sharesDetectorGate: true,
    run: async ({ features, count, envelopes, rows, detector: det }) => {
      const cat = await categories.run(features, count, envelopes);
      if (out.length < count * (k + 1)) out = new Float32Array(Math.max(count * (k + 1), out.length * 2));
      const p = det.probabilities;
      for (let i = 0; i < count; i++) {
        const r = rows[i];
        out[i * (k + 1)] = p[r * 2];
        for (let c = 0; c < k; c++) out[i * (k + 1) + 1 + c] = Math.fround(p[r * 2 + 1] * cat.probabilities[i * k + c]);
      }
      return { nClasses: k + 1, probabilities: out.subarray(0, count * (k + 1)) };
    },
    release: () => categories.release(),
  };
}
