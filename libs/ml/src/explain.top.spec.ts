import { topIndices } from './explain';

describe('topIndices (top features of an explanation, topContributions and the pipeline)', () => {
  it('orders by magnitude, largest first, ties to the lower index, like a full sort', () => {
    const rows = [
      [0.1, -0.5, 0.3, 0.5, 0, -0.2, 0.05],
      [0, 0, 0, 0, 0, 0, 0],
      [1, 2, 3, 4, 5, 6, 7],
      [7, 6, 5, 4, 3, 2, 1],
      [-1, 1, -1, 1, 2, -2],
    ];
    for (const row of rows) {
      const v = Float64Array.from(row);
      const sorted = Array.from(v.keys()).sort((a, b) => Math.abs(v[b]) - Math.abs(v[a]) || a - b);
      expect(topIndices(v, 5)).toEqual(sorted.slice(0, 5));
    }
  });

  it('returns every index when there are fewer than k', () => {
    expect(topIndices(Float64Array.from([0.2, -0.9]), 5)).toEqual([1, 0]);
  });
});
