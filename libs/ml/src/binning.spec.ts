import { MAX_BINS, binMatrix, float32AtMost } from './binning';
import { loadSample } from './ml-test.fixture';

describe('float32AtMost', () => {
  it('returns the largest float32 not above the value', () => {
    for (const x of [0.1, -0.1, 1 / 3, 2.5, 1e-40, -1e-46, 123456789.123]) {
      const t = float32AtMost(x);
      expect(Math.fround(t)).toBe(t);
      expect(t).toBeLessThanOrEqual(x);
    }
    expect(float32AtMost(0.5)).toBe(0.5);
    expect(float32AtMost(0.1)).toBeLessThan(0.1);
    expect(float32AtMost(0.1)).toBe(Math.fround(0.1) > 0.1 ? 0.09999999403953552 : Math.fround(0.1));
  });
});

describe('binMatrix', () => {
  it('gives thresholds that reproduce every bin boundary on real float32 rows', async () => {
    const set = await loadSample('binary');
    const binned = binMatrix(set);
    let mismatches = 0;
    let checked = 0;
    for (let f = 0; f < set.nFeatures; f++) {
      const { nBins, thresholds } = binned.bins[f];
      expect(nBins).toBeLessThanOrEqual(MAX_BINS);
      for (let r = 0; r < set.nRows; r++) {
        const x = set.X[r * set.nFeatures + f];
        const code = binned.codes[f * set.nRows + r];
        for (let b = 0; b < nBins; b++, checked++) if (x <= thresholds[b] !== code <= b) mismatches++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(mismatches).toBe(0);
  });

  it('puts NaN in its own last bin and treats infinities as ordinary values', () => {
    // One hand-made column: the split logic, not data, is under test here.
    const X = Float32Array.from([NaN, -Infinity, 1, 2, Infinity, NaN]);
    const { codes, bins } = binMatrix({ X, nRows: 6, nFeatures: 1 });
    expect(bins[0].nBins).toBe(4);
    expect(Array.from(codes)).toEqual([4, 0, 1, 2, 3, 4]);
    expect(Array.from(bins[0].thresholds)).toEqual([-Infinity, 1.5, 2, Infinity]);
  });

  it('caps the bin count with quantile bins', async () => {
    const set = await loadSample('binary');
    const binned = binMatrix({ ...set, maxBins: 8 });
    // src_bytes has far more than 8 distinct values.
    expect(binned.bins[4].nBins).toBeLessThanOrEqual(8);
    expect(binned.bins[4].nBins).toBeGreaterThan(2);
  });
});
