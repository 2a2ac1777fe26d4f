// Why a threat got its class, cheap enough for every threat of the pipeline: Saabas path
// attribution (exact: expected value + Σ contributions = the explained output) over the
// version's own trees, read back from its ONNX bytes, with covers from the contract's
// committed real sample. Built once per model version when it loads, off the hot path; on the
// hot path a row costs one walk down each tree. TreeSHAP is exact in the Shapley sense too but
// costs 1.5-13 ms a row on the shipped models, so it stays on demand (`vigil analyze`).
import { type FlowEnvelope, type ThreatExplanation } from '@vigil/contracts';
import {
  type ModelInput, type TreeExplainer, createTreeExplainer, explain, expectedValue, explanationBackground, isGatedOnnx, readOnnxGatedEnsemble, readOnnxTreeEnsemble,
} from '@vigil/ml';
import { type ModelRunner } from '../model-runner';

/** Features per explanation on the wire. */
export const EXPLAINED_FEATURES = 5;

export class ThreatExplainer {
  private constructor(
    private readonly tree: TreeExplainer,
    private readonly input: ModelInput,
    private readonly names: readonly string[],
    private readonly labels: readonly string[],
    /** Gated classifiers: class k of the labels is output k - 1 of the category forest; 0 is the benign gate. */
    private readonly gated: boolean,
    private readonly kind: 'P' | 'margin',
  ) {}

  static async create(runner: ModelRunner): Promise<ThreatExplainer> {
    const background = await explanationBackground(runner.input, runner.contract);
    const { features, classLabels } = runner.manifest;
    const gated = isGatedOnnx(runner.onnx);
    const model = gated ? readOnnxGatedEnsemble(runner.onnx).model.categories : readOnnxTreeEnsemble(runner.onnx).model;
    const explainer = new ThreatExplainer(createTreeExplainer({ model, background }), runner.input, features, classLabels, gated, model.kind === 'gbt' ? 'margin' : 'P');
    // Node means and expected values per class are computed once here, not by the first threat.
    for (let k = gated ? 1 : 0; k < classLabels.length; k++) expectedValue(explainer.tree, explainer.output(k));
    return explainer;
  }

  /** The model-input rows of a contract-order block (a copy, or the block itself for identity inputs). */
  gather(features: Float32Array, count: number, envelopes?: readonly FlowEnvelope[]): Float32Array {
    return this.input.gather({ features, count, envelopes });
  }

  /** Row `row` of a gathered block explained for class `classIndex` of the model's labels; undefined for a gated model's benign class. */
  explain(X: Float32Array, row: number, classIndex: number): ThreatExplanation | undefined {
    if (this.gated && classIndex === 0) return undefined;
    const width = this.input.width;
    const x = X.subarray(row * width, (row + 1) * width);
    const e = explain(this.tree, x, { output: this.output(classIndex), method: 'saabas' });
    const label = this.labels[classIndex];
    return {
      method: 'saabas', target: this.gated ? `P(${label} | attack)` : `${this.kind}(${label})`, expectedValue: e.expectedValue,
      top: topIndices(e.contributions, EXPLAINED_FEATURES).map((i) => ({ feature: this.names[i], value: Number.isNaN(x[i]) ? null : x[i], contribution: e.contributions[i] })),
    };
  }

  private output(classIndex: number): number {
    return this.gated ? classIndex - 1 : classIndex;
  }
}

/** The k largest |v| indices, largest first, ties to the lower index (as @vigil/ml's topContributions). */
export function topIndices(v: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (top.length === k && a <= Math.abs(v[top[k - 1]])) continue;
    if (top.length < k) top.push(i);
    else top[k - 1] = i;
    let j = top.length - 1;
    while (j > 0 && Math.abs(v[top[j - 1]]) < a) {
      top[j] = top[j - 1];
      j--;
    }
    top[j] = i;
  }
  return top;
}
