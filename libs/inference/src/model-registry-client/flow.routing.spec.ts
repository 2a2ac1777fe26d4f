import { type ModelManifest } from '@vigil/contracts';
import { type RunOutput, type ServedPart, agreementOf, canaryRows, classOfRows, otherRows, pickRows, servedRows } from './flow.routing';
import { routesToCanary } from './canary.routing';

const labels = (values: number[]): RunOutput => ({ count: values.length, nClasses: 2, labels: Int32Array.from(values), probabilities: new Float32Array(values.length * 2) });
const manifest = (classLabels: string[]) => ({ classLabels }) as unknown as ModelManifest;

describe('per-flow canary routing', () => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `flow-${i}`);

  it('routes each flow by its id: 10 % ± 0.5 % of 100,000 flows, the same rows every time', () => {
    const rows = canaryRows(ids, ids.length, 10);
    expect(Math.abs(rows.length / ids.length - 0.1)).toBeLessThan(0.005);
    expect(Array.from(rows).every((r) => routesToCanary(ids[r], 10))).toBe(true);
    expect(Array.from(canaryRows(ids, ids.length, 10))).toEqual(Array.from(rows));
  });

  it('splits rows into two ascending complements and gathers their features and envelopes', () => {
    const rows = Int32Array.from([1, 3]);
    expect(Array.from(otherRows(rows, 5))).toEqual([0, 2, 4]);
    const picked = pickRows({ flowIds: ['a', 'b', 'c', 'd', 'e'], features: Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]), count: 5, envelopes: [{}, { flowId: 'b' }, {}, { flowId: 'd' }, {}] }, rows);
    expect(picked).toEqual({ flowIds: ['b', 'd'], features: Float32Array.from([1, 1, 3, 3]), count: 2, envelopes: [{ flowId: 'b' }, { flowId: 'd' }] });
  });

  it('maps every row back to the part that answered it, and counts shadow agreement by class name', () => {
    const parts: ServedPart[] = [
      { role: 'production', model: { name: 'm', version: 1 }, manifest: manifest(['benign', 'attack']), rows: Int32Array.from([0, 2]), output: labels([1, 0]), addons: {} },
      { role: 'canary', model: { name: 'm', version: 2 }, manifest: manifest(['attack', 'benign']), rows: Int32Array.from([1]), output: labels([0]), addons: {} },
    ];
    expect(servedRows(parts, 3)).toEqual({ part: Uint8Array.from([0, 1, 0]), at: Int32Array.from([0, 0, 1]) });
    expect(classOfRows(parts, 3)).toEqual(['attack', 'attack', 'benign']);
    expect(agreementOf(parts, { manifest: manifest(['benign', 'attack']), output: labels([1, 0, 1]) })).toBe(1);
  });
});
