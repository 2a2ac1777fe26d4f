import { type FeatureBins } from './binning';
import { type GrownTree } from './tree-builder';
import { type Tree } from './tree-ensemble.model';

/**
 * Turns a (feature, bin) tree into a float32-threshold tree. `leafValue` writes the
 * valueWidth leaf values of node i from its histogram totals.
 */
export function attachThresholds(args: {
  grown: GrownTree;
  bins: readonly FeatureBins[];
  valueWidth: number;
  leafValue: (totals: Float64Array, out: Float64Array) => void;
}): Tree {
  const { grown, bins, valueWidth, leafValue } = args;
  const n = grown.feature.length;
  const threshold = new Float32Array(n);
  const value = new Float64Array(n * valueWidth);
  for (let i = 0; i < n; i++) {
    const f = grown.feature[i];
    if (f >= 0) {
      threshold[i] = bins[f].thresholds[grown.splitBin[i]];
      continue;
    }
    const totals = grown.totals.subarray(i * grown.stride, (i + 1) * grown.stride);
    leafValue(totals, value.subarray(i * valueWidth, (i + 1) * valueWidth));
  }
  return { feature: grown.feature, threshold, left: grown.left, right: grown.right, value };
}
