// Saabas path attribution as a single walk per tree into a caller's buffer. Every tree's nodes
// are laid end to end in one set of typed arrays (global node ids), and for each explained
// output the step a split contributes, mean(child) - mean(node), is stored once at the child
// when the output is first asked for; a row then costs one root-to-leaf walk per tree adding
// those stored steps into phi. The sums are the ones the per-step walk made (same terms, same
// order), so results are bit-for-bit those of computing mean(child) - mean(node) on the way.
import { type TreeEnsemble } from './tree-ensemble.model';

export interface SaabasPaths {
  readonly nFeatures: number;
  /** Global id of each tree's root. */
  readonly roots: Int32Array;
  /** Per global node: split feature, -1 at leaves. */
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  /** Per global node: global ids of its children (x <= threshold goes left, NaN right). */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Per explained output: mean(node) - mean(parent) at every non-root node, 0 at roots. */
  readonly steps: Map<number, Float64Array>;
}

/** The ensemble's trees in one set of arrays; steps are added per output by `saabasSteps`. */
export function saabasPaths(model: TreeEnsemble): SaabasPaths {
  const total = model.trees.reduce((n, t) => n + t.feature.length, 0);
  const paths: SaabasPaths = {
    nFeatures: model.nFeatures, roots: new Int32Array(model.trees.length), feature: new Int32Array(total), threshold: new Float32Array(total),
    left: new Int32Array(total), right: new Int32Array(total), steps: new Map(),
  };
  let offset = 0;
  model.trees.forEach((tree, t) => {
    paths.roots[t] = offset;
    paths.feature.set(tree.feature, offset);
    paths.threshold.set(tree.threshold, offset);
    for (let n = 0; n < tree.feature.length; n++) {
      paths.left[offset + n] = tree.feature[n] >= 0 ? tree.left[n] + offset : -1;
      paths.right[offset + n] = tree.feature[n] >= 0 ? tree.right[n] + offset : -1;
    }
    offset += tree.feature.length;
  });
  return paths;
}

/** The stored steps of one output, from the per-tree node means of that output (computed once). */
export function saabasSteps(paths: SaabasPaths, output: number, means: () => readonly Float64Array[]): Float64Array {
  const cached = paths.steps.get(output);
  if (cached) return cached;
  const steps = new Float64Array(paths.feature.length);
  means().forEach((mean, t) => {
    const offset = paths.roots[t];
    for (let n = 0; n < mean.length; n++) {
      const g = offset + n;
      if (paths.feature[g] < 0) continue;
      steps[paths.left[g]] = mean[paths.left[g] - offset] - mean[n];
      steps[paths.right[g]] = mean[paths.right[g] - offset] - mean[n];
    }
  });
  paths.steps.set(output, steps);
  return steps;
}

/**
 * Adds the row's Saabas attributions to `phi[phiOffset + f]`, feature f of the row read at
 * `x[offset + f]` (model-input order). One walk per tree, no allocation.
 */
export function saabasRow(paths: SaabasPaths, args: { x: ArrayLike<number>; offset: number; steps: Float64Array; phi: Float64Array; phiOffset: number }): void {
  const { x, offset, steps, phi, phiOffset } = args;
  const { roots, feature, threshold, left, right } = paths;
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t];
    let f = feature[node];
    while (f >= 0) {
      node = x[offset + f] <= threshold[node] ? left[node] : right[node];
      phi[phiOffset + f] += steps[node];
      f = feature[node];
    }
  }
}
