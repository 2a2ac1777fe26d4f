// Per-row feature attributions for any TreeEnsemble (so any tree model read back from ONNX):
// exact path-dependent TreeSHAP by default, Saabas path attribution on request. Both are
// additive: expectedValue + Σ contributions = the explained output for the row.
//
// What is explained: rf/dt the probability of one class (mean of the trees' leaf
// distributions, what ORT outputs); gbt the raw margin of one class before the logistic /
// softmax (binary gbt: the class-1 margin; class 0 is its negation), because the transform is
// not additive. Covers (how many rows reach each node) are not in ONNX, so they come from
// background rows routed through the trees: the expected value is the mean output over them,
// and a branch no background row reaches weighs nothing when its feature is unknown, which
// TreeSHAP then skips (exactly: its terms are all zero) - that is what makes deep forests of
// tens of thousands of leaves affordable.
import { type SaabasPaths, saabasPaths, saabasRow, saabasSteps } from './explain.saabas';
import { treeDepth, treeShap, shapScratch, type ShapScratch } from './explain.tree-shap';
import { type Tree, type TreeEnsemble } from './tree-ensemble.model';
import { TrainingInputError } from './training.errors';

export type ExplainMethod = 'treeshap' | 'saabas';

export interface Explanation {
  /** The explained output over the background rows (the attributions' baseline). */
  readonly expectedValue: number;
  /** One per model feature, model-input order. */
  readonly contributions: Float64Array;
  /** expectedValue + Σ contributions: the explained output for this row. */
  readonly output: number;
}

export interface TreeExplainer {
  readonly model: TreeEnsemble;
  /** Per tree, per node. */
  readonly covers: readonly Float64Array[];
}

interface ExplainerState {
  readonly leafValues: Map<number, Float64Array[]>;
  readonly expected: Map<number, number>;
  readonly scratch: ShapScratch;
  /** The trees flattened for Saabas, made on the first Saabas explanation. */
  paths?: SaabasPaths;
}

const states = new WeakMap<TreeExplainer, ExplainerState>();

/** Covers from background rows (model-input order, row-major). */
export function treeCovers(model: TreeEnsemble, background: { X: Float32Array; nRows: number }): Float64Array[] {
  const nf = model.nFeatures;
  return model.trees.map((tree) => {
    const cover = new Float64Array(tree.feature.length);
    for (let r = 0; r < background.nRows; r++) {
      let node = 0;
      while (tree.feature[node] >= 0) node = background.X[r * nf + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      cover[node] += 1;
    }
    for (const node of postOrder(tree)) {
      if (tree.feature[node] >= 0) cover[node] = cover[tree.left[node]] + cover[tree.right[node]];
    }
    return cover;
  });
}

function postOrder(tree: Tree): number[] {
  const out: number[] = [];
  const stack = [0];
  while (stack.length > 0) {
    const n = stack.pop() as number;
    out.push(n);
    if (tree.feature[n] >= 0) stack.push(tree.left[n], tree.right[n]);
  }
  return out.reverse();
}

/** Prepares a model for explanations, with covers from background rows (or given covers). */
export function createTreeExplainer(args: { model: TreeEnsemble; background?: { X: Float32Array; nRows: number }; covers?: readonly Float64Array[] }): TreeExplainer {
  const { model } = args;
  const covers = args.covers ?? (args.background ? treeCovers(model, args.background) : undefined);
  if (!covers) throw new TrainingInputError('explanations need background rows (or covers) to weigh the branches');
  if (covers.some((c) => !(c[0] > 0))) throw new TrainingInputError('every tree root needs a positive cover (background rows)');
  if (covers.length !== model.trees.length) throw new TrainingInputError('one cover array per tree is needed', { trees: model.trees.length, covers: covers.length });
  const explainer: TreeExplainer = { model, covers };
  const depth = Math.max(0, ...model.trees.map(treeDepth));
  states.set(explainer, { leafValues: new Map(), expected: new Map(), scratch: shapScratch(depth) });
  return explainer;
}

function stateOf(e: TreeExplainer): ExplainerState {
  const s = states.get(e);
  if (!s) throw new TrainingInputError('explainer was not made by createTreeExplainer');
  return s;
}

/** The explained value of each node (leaves only matter for TreeSHAP) for one output, cached. */
function leafValues(e: TreeExplainer, output: number): Float64Array[] {
  const s = stateOf(e);
  let values = s.leafValues.get(output);
  if (values) return values;
  values = nodeValues(e.model, output);
  s.leafValues.set(output, values);
  return values;
}

function nodeValues(model: TreeEnsemble, output: number): Float64Array[] {
  if (output < 0 || output >= model.nClasses) throw new TrainingInputError('output class out of range', { output, nClasses: model.nClasses });
  const width = model.valueWidth;
  const binaryMargin = model.kind === 'gbt' && width === 1;
  const column = binaryMargin ? 0 : output;
  const scale = model.kind === 'gbt' ? (binaryMargin && output === 0 ? -1 : 1) : 1 / model.trees.length;
  return model.trees.map((t) => Float64Array.from({ length: t.feature.length }, (_, n) => t.value[n * width + column] * scale));
}

function baseScore(model: TreeEnsemble, output: number): number {
  if (model.kind !== 'gbt') return 0;
  if (model.valueWidth === 1) return (output === 0 ? -1 : 1) * (model.baseScores[0] ?? 0);
  return model.baseScores[output] ?? 0;
}

// Not kept: only the expected value and the Saabas steps are read from them, each cached.
function nodeMeans(e: TreeExplainer, output: number): Float64Array[] {
  const values = nodeValues(e.model, output);
  return e.model.trees.map((tree, t) => {
    const cover = e.covers[t];
    const mean = new Float64Array(tree.feature.length);
    for (const n of postOrder(tree)) {
      const l = tree.left[n];
      const r = tree.right[n];
      // A node no background row reaches: its children weigh the same (Saabas telescopes to
      // leaf - root whatever the inner means are).
      if (tree.feature[n] < 0) mean[n] = values[t][n];
      else mean[n] = cover[n] > 0 ? (mean[l] * cover[l] + mean[r] * cover[r]) / cover[n] : (mean[l] + mean[r]) / 2;
    }
    return mean;
  });
}

/** The explained output averaged over the background (covers), base score included. */
export function expectedValue(e: TreeExplainer, output: number): number {
  const s = stateOf(e);
  const cached = s.expected.get(output);
  if (cached !== undefined) return cached;
  const value = nodeMeans(e, output).reduce((sum, mean) => sum + mean[0], baseScore(e.model, output));
  s.expected.set(output, value);
  return value;
}

/** Default output: the positive class of a two-class model. */
function defaultOutput(model: TreeEnsemble): number {
  if (model.nClasses === 2) return 1;
  throw new TrainingInputError('name the class to explain (output) for a multi-class model', { nClasses: model.nClasses });
}

/** Attributions of one row (model-input order) to one output of the model. */
export function explain(e: TreeExplainer, x: ArrayLike<number>, opts: { output?: number; method?: ExplainMethod } = {}): Explanation {
  const { model } = e;
  const output = opts.output ?? defaultOutput(model);
  const phi = new Float64Array(model.nFeatures);
  if (opts.method === 'saabas') saabas(e, x, output, phi);
  else {
    const values = leafValues(e, output);
    const scratch = stateOf(e).scratch;
    model.trees.forEach((tree, t) => treeShap({ tree, cover: e.covers[t], leafValue: values[t], x, phi, scratch }));
  }
  const base = expectedValue(e, output);
  return { expectedValue: base, contributions: phi, output: phi.reduce((s, v) => s + v, base) };
}

function saabas(e: TreeExplainer, x: ArrayLike<number>, output: number, phi: Float64Array): void {
  saabasRow(saabasOf(e), { x, offset: 0, steps: saabasTable(e, output), phi, phiOffset: 0 });
}

/** The explainer's trees flattened for Saabas walks (made once, on first use). */
export function saabasOf(e: TreeExplainer): SaabasPaths {
  const s = stateOf(e);
  s.paths ??= saabasPaths(e.model);
  return s.paths;
}

/** The Saabas steps of one output (see explain.saabas), computed once per output. */
export function saabasTable(e: TreeExplainer, output: number): Float64Array {
  const paths = saabasOf(e);
  return paths.steps.get(output) ?? saabasSteps(paths, output, () => nodeMeans(e, output));
}

export interface FeatureContribution {
  readonly index: number;
  readonly feature: string;
  /** The row's value of the feature (model input: categorical features are vocabulary codes). */
  readonly value: number;
  readonly contribution: number;
}

/** The k largest attributions by magnitude, largest first (ties: lower feature index first). */
export function topContributions(args: { explanation: Explanation; k: number; x: ArrayLike<number>; names?: readonly string[] }): FeatureContribution[] {
  const { contributions } = args.explanation;
  return topIndices(contributions, args.k).map((i) => ({ index: i, feature: args.names?.[i] ?? `f${i}`, value: args.x[i], contribution: contributions[i] }));
}

/** The k largest |v| indices, largest first, ties to the lower index (a full sort's order, by insertion: no sort, no copy). */
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
