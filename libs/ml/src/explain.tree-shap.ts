// Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized
// feature attribution for tree ensembles", Algorithm 2), one tree at a time, following the
// reference implementation's extend / unwind / unwound-sum steps. Node covers weight the
// branches a feature is "missing" from; any positive covers keep the attributions exact
// (they sum, with the tree's expected value, to the tree's output for the row).
import { type Tree } from './tree-ensemble.model';

/** Scratch space for one tree walk: the unique path of every recursion level, flattened. */
export interface ShapScratch {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

export function shapScratch(maxDepth: number): ShapScratch {
  const size = ((maxDepth + 3) * (maxDepth + 4)) / 2;
  return { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
}

export interface TreeShapArgs {
  readonly tree: Tree;
  /** Per-node cover (background rows reaching the node, smoothed so no node is empty). */
  readonly cover: Float64Array;
  /** Leaf value per node for the explained output (already scaled, e.g. / nTrees). */
  readonly leafValue: Float64Array;
  readonly x: ArrayLike<number>;
  /** Attributions are added here, one slot per model feature. */
  readonly phi: Float64Array;
  readonly scratch: ShapScratch;
}

function extend(s: ShapScratch, at: number, depth: number, step: { zero: number; one: number; feature: number }): void {
  s.feature[at + depth] = step.feature;
  s.zero[at + depth] = step.zero;
  s.one[at + depth] = step.one;
  s.weight[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    s.weight[at + i + 1] += (step.one * s.weight[at + i] * (i + 1)) / (depth + 1);
    s.weight[at + i] = (step.zero * s.weight[at + i] * (depth - i)) / (depth + 1);
  }
}

function unwind(s: ShapScratch, at: number, depth: number, index: number): void {
  const one = s.one[at + index];
  const zero = s.zero[at + index];
  let next = s.weight[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = s.weight[at + i];
      s.weight[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (s.weight[at + i] * zero * (depth - i)) / (depth + 1);
    } else {
      s.weight[at + i] = (s.weight[at + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    s.feature[at + i] = s.feature[at + i + 1];
    s.zero[at + i] = s.zero[at + i + 1];
    s.one[at + i] = s.one[at + i + 1];
  }
}

function unwoundSum(s: ShapScratch, at: number, depth: number, index: number): number {
  const one = s.one[at + index];
  const zero = s.zero[at + index];
  let next = s.weight[at + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = s.weight[at + i] - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += (s.weight[at + i] / zero) / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

/** One recursion step; a reused mutable record, because allocating one per node doubled the cost. */
interface Step {
  node: number;
  /** Offset of the parent's unique path in the scratch arrays. */
  parentAt: number;
  depth: number;
  zero: number;
  one: number;
  feature: number;
}

function copyPath(s: ShapScratch, from: number, to: number, n: number): void {
  for (let i = 0; i < n; i++) {
    s.feature[to + i] = s.feature[from + i];
    s.zero[to + i] = s.zero[from + i];
    s.one[to + i] = s.one[from + i];
    s.weight[to + i] = s.weight[from + i];
  }
}

function recurse(a: TreeShapArgs, step: Step): void {
  const { tree, scratch: s } = a;
  const at = step.parentAt + step.depth + 1;
  // Each level works on its own copy of the parent's path.
  copyPath(s, step.parentAt, at, step.depth);
  let depth = step.depth;
  extend(s, at, depth, step);
  const node = step.node;
  const split = tree.feature[node];
  if (split < 0) {
    const value = a.leafValue[node];
    for (let i = 1; i <= depth; i++) {
      a.phi[s.feature[at + i]] += unwoundSum(s, at, depth, i) * (s.one[at + i] - s.zero[at + i]) * value;
    }
    return;
  }
  const v = a.x[split];
  // x <= threshold goes left; NaN fails the comparison and goes right, as in prediction.
  const hot = v <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  const cold = hot === tree.left[node] ? tree.right[node] : tree.left[node];
  const w = a.cover[node];
  let inZero = 1;
  let inOne = 1;
  let k = 0;
  while (k <= depth && s.feature[at + k] !== split) k++;
  if (k <= depth) {
    // The feature was split on above: undo that step and redo it with the combined fractions.
    inZero = s.zero[at + k];
    inOne = s.one[at + k];
    unwind(s, at, depth, k);
    depth -= 1;
  }
  const hotZero = w > 0 ? (a.cover[hot] / w) * inZero : 0;
  const coldZero = w > 0 ? (a.cover[cold] / w) * inZero : 0;
  // A branch with both fractions zero adds exactly nothing: skip it.
  if (hotZero !== 0 || inOne !== 0) {
    setStep(step, { node: hot, parentAt: at, depth: depth + 1, zero: hotZero, one: inOne, feature: split });
    recurse(a, step);
  }
  if (coldZero !== 0) {
    setStep(step, { node: cold, parentAt: at, depth: depth + 1, zero: coldZero, one: 0, feature: split });
    recurse(a, step);
  }
}

function setStep(step: Step, v: Step): void {
  step.node = v.node;
  step.parentAt = v.parentAt;
  step.depth = v.depth;
  step.zero = v.zero;
  step.one = v.one;
  step.feature = v.feature;
}

/** Adds one tree's SHAP values for row `x` to `phi`. */
export function treeShap(a: TreeShapArgs): void {
  recurse(a, { node: 0, parentAt: 0, depth: 0, zero: 1, one: 1, feature: -1 });
}

/** Depth of the deepest leaf (root = 0). */
export function treeDepth(tree: Tree): number {
  let max = 0;
  const stack: number[] = [0, 0];
  while (stack.length > 0) {
    const d = stack.pop() as number;
    const n = stack.pop() as number;
    if (tree.feature[n] < 0) max = Math.max(max, d);
    else stack.push(tree.left[n], d + 1, tree.right[n], d + 1);
  }
  return max;
}
