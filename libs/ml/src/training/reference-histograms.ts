// Reference feature histograms for drift checks: decile edges of each model feature over the
// real training rows (never the synthetic ones), with the share of rows per bin and missing last.
import { type FeatureHistogram } from '@vigil/contracts';

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

export function referenceHistograms(args: { X: Float32Array; nRows: number; features: readonly string[] }): FeatureHistogram[] {
  const { X, nRows, features } = args;
  const k = features.length;
  return features.map((feature, f) => {
    const values: number[] = [];
    let missing = 0;
    for (let r = 0; r < nRows; r++) {
      const v = X[r * k + f];
      if (Number.isNaN(v)) missing++;
      else values.push(v);
    }
    values.sort((a, b) => a - b);
    const edges: number[] = [];
    for (let q = 1; q < 10 && values.length > 0; q++) {
      const e = values[Math.min(values.length - 1, Math.floor((q * values.length) / 10))];
      if (Number.isFinite(e) && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
    }
    const counts = new Array<number>(edges.length + 2).fill(0);
    for (const v of values) {
      let b = 0;
      while (b < edges.length && v > edges[b]) b++;
      counts[b]++;
    }
    counts[edges.length + 1] = missing;
    return { feature, edges, shares: counts.map((c) => (nRows > 0 ? round(c / nRows) : 0)) };
  });
}
