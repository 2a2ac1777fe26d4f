import { marginalOutliers } from './synthetic-outliers';
import { loadSample } from './ml-test.fixture';

describe('marginalOutliers', () => {
  it('draws every synthetic value from the same column of a source (benign) row, never from other rows', async () => {
    const set = await loadSample('binary');
    const f = set.nFeatures;
    const normal: number[] = [];
    for (let r = 0; r < set.nRows; r++) if (set.y[r] === 0) normal.push(r);
    const columnValues = Array.from({ length: f }, (_, j) => new Set(normal.map((r) => set.X[r * f + j])));
    const out = marginalOutliers({ X: set.X, nFeatures: f, sourceRows: normal, count: 500, seed: 3 });
    expect(out).toHaveLength(500 * f);
    for (let r = 0; r < 500; r++) for (let j = 0; j < f; j++) expect(columnValues[j].has(out[r * f + j])).toBe(true);
    // src_bytes of attack-only values must never appear: the draw is from benign rows only.
    const srcBytes = set.featureNames.indexOf('src_bytes');
    const attackOnly = new Set<number>();
    for (let r = 0; r < set.nRows; r++) if (set.y[r] === 1 && !columnValues[srcBytes].has(set.X[r * f + srcBytes])) attackOnly.add(set.X[r * f + srcBytes]);
    expect(attackOnly.size).toBeGreaterThan(0);
    for (let r = 0; r < 500; r++) expect(attackOnly.has(out[r * f + srcBytes])).toBe(false);
  });

  it('is deterministic for a seed and breaks the joint structure of the rows', async () => {
    const set = await loadSample('binary');
    const rows = Array.from({ length: set.nRows }, (_, i) => i);
    const a = marginalOutliers({ X: set.X, nFeatures: set.nFeatures, sourceRows: rows, count: 200, seed: 11 });
    const b = marginalOutliers({ X: set.X, nFeatures: set.nFeatures, sourceRows: rows, count: 200, seed: 11 });
    const c = marginalOutliers({ X: set.X, nFeatures: set.nFeatures, sourceRows: rows, count: 200, seed: 12 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    const real = new Set(rows.map((r) => Array.from(set.X.subarray(r * set.nFeatures, (r + 1) * set.nFeatures)).join(',')));
    let copies = 0;
    for (let r = 0; r < 200; r++) if (real.has(Array.from(a.subarray(r * set.nFeatures, (r + 1) * set.nFeatures)).join(','))) copies++;
    expect(copies).toBeLessThan(10);
  });

  it('rejects an empty source', () => {
    expect(() => marginalOutliers({ X: new Float32Array(4), nFeatures: 2, sourceRows: [], count: 1, seed: 1 })).toThrow('at least one source row');
  });
});
