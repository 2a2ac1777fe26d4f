// Explanations for one model version, as services and the CLI need them: the trees come from
// the ONNX bytes (plain or gated graph, so any uploaded tree classifier works), the background
// rows from the contract's committed real sample gathered through the model's own input, and
// rows arrive in contract order with their envelopes, like the batches the models run on.
import { CONTRACT_SAMPLES, type Contract, type ContractId, type FlowEnvelope, contractSamplePath, readFlowFile } from '@vigil/contracts';
import {
  type ExplainMethod, type Explanation, type FeatureContribution, type TreeExplainer, createTreeExplainer, explain, saabasOf, saabasTable, topContributions, topIndices,
} from './explain';
import { saabasRow } from './explain.saabas';
import { type GatedExplainer, createGatedExplainer, explainGated } from './explain.gated';
import { type TreeExplainerPool } from './explain.shared';
import { type ModelInput, createModelInput } from './model-input';
import { isGatedOnnx, readOnnxGatedEnsemble } from './onnx.gated-import';
import { readOnnxTreeEnsemble } from './onnx.import';

const BACKGROUND_SAMPLE: Readonly<Record<ContractId, string>> = { 'nsl-kdd': CONTRACT_SAMPLES.nslKdd, cicflowmeter: CONTRACT_SAMPLES.improved };

export interface RowExplanation {
  /** Attributions to the explained output (see `target`). */
  readonly explanation: Explanation;
  /** What was explained: `P(<class>)` for forests, `margin(<class>)` for boosted models. */
  readonly target: string;
  readonly top: readonly FeatureContribution[];
  /** Gated models: the gate's attributions to P(attack) ("why an attack" rather than "why this class"). */
  readonly gate?: { readonly explanation: Explanation; readonly top: readonly FeatureContribution[] };
}

export interface ModelExplainer {
  readonly method: ExplainMethod;
  /** One contract-order row (and its envelope) explained for class `classIndex` of the model's labels. */
  explainRow(args: { features: Float32Array; envelope?: FlowEnvelope; classIndex: number; k?: number }): RowExplanation;
  /** A contract-order block gathered into the model's input once, for `topOfRow`. */
  gather(args: { features: Float32Array; count: number; envelopes?: readonly FlowEnvelope[] }): Float32Array;
  /**
   * Only the k largest attributions (the main part's, as explainRow's `top`) of row `row` of a
   * gathered block: for every threat of a file. Saabas walks into one reused buffer; nothing per
   * row but the k results.
   */
  topOfRow(args: { X: Float32Array; row: number; classIndex: number; k?: number }): FeatureContribution[];
}

/** Real rows of the contract's committed sample, gathered into the model's input. */
export async function explanationBackground(input: ModelInput, contract: Contract): Promise<{ X: Float32Array; nRows: number }> {
  for await (const b of readFlowFile(contractSamplePath(BACKGROUND_SAMPLE[contract.id]), { contract: contract.id, batchSize: 100_000 })) {
    return { X: Float32Array.from(input.gather({ features: b.features, count: b.count, envelopes: b.envelopes })), nRows: b.count };
  }
  return { X: new Float32Array(0), nRows: 0 };
}

/**
 * `pool`: explainers made through the same pool share identical forests (a gated classifier's
 * gate and its detector), whatever their method.
 */
export async function createModelExplainer(args: {
  onnx: Uint8Array; contract: Contract; features: readonly string[]; classLabels: readonly string[]; homeNet?: readonly string[]; method?: ExplainMethod; pool?: TreeExplainerPool;
}): Promise<ModelExplainer> {
  const input = createModelInput({ contract: args.contract, features: args.features, homeNet: args.homeNet });
  const background = await explanationBackground(input, args.contract);
  const method = args.method ?? 'treeshap';
  const labels = args.classLabels;
  const top = topOfRows(method, args.features);
  const gather = (features: Float32Array, envelope?: FlowEnvelope): Float32Array =>
    input.gather({ features, count: 1, envelopes: envelope ? [envelope] : undefined });
  if (isGatedOnnx(args.onnx)) {
    const gated: GatedExplainer = createGatedExplainer({ model: readOnnxGatedEnsemble(args.onnx).model, background, pool: args.pool });
    return {
      method,
      explainRow: ({ features, envelope, classIndex, k = 3 }) => {
        const x = gather(features, envelope);
        const e = explainGated(gated, x, { classIndex, method });
        const gate = { explanation: e.attack, top: topContributions({ explanation: e.attack, k, x, names: args.features }) };
        const main = e.category ?? e.attack;
        return { explanation: main, target: e.category ? `P(${labels[classIndex]} | attack)` : 'P(attack)', top: topContributions({ explanation: main, k, x, names: args.features }), gate };
      },
      gather: (b) => input.gather(b),
      // The main part: the category forest for an attack class, the gate for the benign one.
      topOfRow: ({ X, row, classIndex, k = 3 }) => top(classIndex > 0 ? { tree: gated.categories, output: classIndex - 1 } : { tree: gated.detector, output: 1 }, X, row, k),
    };
  }
  const { model } = readOnnxTreeEnsemble(args.onnx);
  const tree: TreeExplainer = args.pool ? args.pool.explainer(model, background) : createTreeExplainer({ model, background });
  const kind = model.kind === 'gbt' ? 'margin' : 'P';
  return {
    method,
    explainRow: ({ features, envelope, classIndex, k = 3 }) => {
      const x = gather(features, envelope);
      const explanation = explain(tree, x, { output: classIndex, method });
      return { explanation, target: `${kind}(${labels[classIndex]})`, top: topContributions({ explanation, k, x, names: args.features }) };
    },
    gather: (b) => input.gather(b),
    topOfRow: ({ X, row, classIndex, k = 3 }) => top({ tree, output: classIndex }, X, row, k),
  };
}

/** Top-k of one row of a gathered block, the attributions in one buffer reused across rows. */
function topOfRows(method: ExplainMethod, names: readonly string[]): (part: { tree: TreeExplainer; output: number }, X: Float32Array, row: number, k: number) => FeatureContribution[] {
  let phi = new Float64Array(0);
  return ({ tree, output }, X, row, k) => {
    const width = tree.model.nFeatures;
    const offset = row * width;
    if (phi.length !== width) phi = new Float64Array(width);
    if (method === 'saabas') {
      phi.fill(0);
      saabasRow(saabasOf(tree), { x: X, offset, steps: saabasTable(tree, output), phi, phiOffset: 0 });
    } else phi.set(explain(tree, X.subarray(offset, offset + width), { output, method }).contributions);
    return topIndices(phi, k).map((i) => ({ index: i, feature: names[i] ?? `f${i}`, value: X[offset + i], contribution: phi[i] }));
  };
}
