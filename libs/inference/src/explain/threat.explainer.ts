// Why a threat got its class, cheap enough for every threat of the pipeline: Saabas path
// attribution (exact: expected value + Σ contributions = the explained output) over the
// version's own trees, read back from its ONNX bytes, with covers from the contract's
// committed real sample. Built once per model version when it loads, off the hot path: the
// trees flattened, and per class the step each split adds (@vigil/ml saabasTable), its target
// and expected value. On the hot path a threat costs one walk down each tree into a reused
// buffer, a top-5 pick without sorting and the wire object, or straight its JSON text
// (explainJson: the pipeline's path, from fragments made at load). TreeSHAP is exact in the Shapley
// sense too but costs 1.5-13 ms a row on the shipped models, so it stays on demand (`vigil analyze`).
import { type FlowEnvelope, type ThreatExplanation } from '@vigil/contracts';
import {
  type ModelInput, type SaabasPaths, createTreeExplainer, expectedValue, explanationBackground, isGatedOnnx, readOnnxGatedEnsemble, readOnnxTreeEnsemble, saabasOf, saabasRow,
  saabasTable, topIndices,
} from '@vigil/ml';
import { type ModelRunner } from '../model-runner';

/** Features per explanation on the wire. */
export const EXPLAINED_FEATURES = 5;

/** What explaining one class needs, made at load. */
interface ClassTable {
  readonly steps: Float64Array;
  readonly target: string;
  readonly expectedValue: number;
  /** `{"method":"saabas","target":…,"expectedValue":…,"top":[` */
  readonly jsonHead: string;
}

/** A number as JSON.stringify writes it (NaN and ±Infinity as null). */
function jsonNumber(v: number): string {
  return Number.isFinite(v) ? `${v}` : 'null';
}

export class ThreatExplainer {
  /** The row's attributions, zeroed and refilled per threat. */
  private readonly phi: Float64Array;

  private constructor(
    private readonly paths: SaabasPaths,
    private readonly input: ModelInput,
    private readonly names: readonly string[],
    /** Per class index of the labels; undefined for a gated model's benign class (0), which only gates. */
    private readonly classes: readonly (ClassTable | undefined)[],
  ) {
    this.phi = new Float64Array(paths.nFeatures);
    this.featureJson = names.map((name) => `{"feature":${JSON.stringify(name)},"value":`);
  }

  /** Per feature: `{"feature":<name>,"value":` */
  private readonly featureJson: readonly string[];

  static async create(runner: ModelRunner): Promise<ThreatExplainer> {
    const background = await explanationBackground(runner.input, runner.contract);
    const { features, classLabels } = runner.manifest;
    const gated = isGatedOnnx(runner.onnx);
    const model = gated ? readOnnxGatedEnsemble(runner.onnx).model.categories : readOnnxTreeEnsemble(runner.onnx).model;
    const tree = createTreeExplainer({ model, background });
    const kind = model.kind === 'gbt' ? 'margin' : 'P';
    // Gated classifiers: class k of the labels is output k - 1 of the category forest.
    const classes = classLabels.map((label, k) => {
      if (gated && k === 0) return undefined;
      const output = gated ? k - 1 : k;
      const target = gated ? `P(${label} | attack)` : `${kind}(${label})`;
      const ev = expectedValue(tree, output);
      return { steps: saabasTable(tree, output), target, expectedValue: ev, jsonHead: `{"method":"saabas","target":${JSON.stringify(target)},"expectedValue":${jsonNumber(ev)},"top":[` };
    });
    return new ThreatExplainer(saabasOf(tree), runner.input, features, classes);
  }

  /** The model-input rows of a contract-order block (a copy, or the block itself for identity inputs). */
  gather(features: Float32Array, count: number, envelopes?: readonly FlowEnvelope[]): Float32Array {
    return this.input.gather({ features, count, envelopes });
  }

  /** Row `row` of a gathered block explained for class `classIndex` of the model's labels; undefined for a gated model's benign class. */
  explain(X: Float32Array, row: number, classIndex: number): ThreatExplanation | undefined {
    const table = this.classes[classIndex];
    if (table === undefined) return undefined;
    const offset = row * this.phi.length;
    const top = this.attribute(X, offset, table).map((i) => {
      const value = X[offset + i];
      return { feature: this.names[i], value: value === value ? value : null, contribution: this.phi[i] };
    });
    return { method: 'saabas', target: table.target, expectedValue: table.expectedValue, top };
  }

  /**
   * The same explanation as `explain`, as its JSON text: byte for byte JSON.stringify of that
   * object, written from fragments made at load with no object per threat (the pipeline's hot
   * path: a threat batch carries it as is, see encodeThreatBatchMessage).
   */
  explainJson(X: Float32Array, row: number, classIndex: number): string | undefined {
    const table = this.classes[classIndex];
    if (table === undefined) return undefined;
    const offset = row * this.phi.length;
    const top = this.attribute(X, offset, table);
    let json = table.jsonHead;
    for (let k = 0; k < top.length; k++) {
      const i = top[k];
      json += `${k === 0 ? '' : ','}${this.featureJson[i]}${jsonNumber(X[offset + i])},"contribution":${jsonNumber(this.phi[i])}}`;
    }
    return `${json}]}`;
  }

  /** Fills phi with the row's attributions for the class; its top features, largest magnitude first. */
  private attribute(X: Float32Array, offset: number, table: ClassTable): number[] {
    const { phi } = this;
    phi.fill(0);
    saabasRow(this.paths, { x: X, offset, steps: table.steps, phi, phiOffset: 0 });
    return topIndices(phi, EXPLAINED_FEATURES);
  }
}
