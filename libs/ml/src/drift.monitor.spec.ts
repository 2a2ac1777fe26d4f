import { contractSamplePath, readFlowFile } from '@vigil/contracts';
import { DriftMonitor, binOf, psi } from './drift.monitor';
import { referenceHistograms } from './training/reference-histograms';

interface Rows { X: Float32Array; n: number; k: number; names: string[]; families: string[] }

async function nslSample(): Promise<Rows> {
  for await (const b of readFlowFile(contractSamplePath('nsl-kdd-train.txt.gz'), { batchSize: 10_000 })) {
    return { X: b.features, n: b.count, k: b.contract.features.length, names: b.contract.features.map((f) => f.name), families: b.labels.map((l) => l?.family ?? '?') };
  }
  throw new Error('empty sample');
}

function subset(rows: Rows, keep: (r: number) => boolean): { X: Float32Array; n: number } {
  const idx = Array.from({ length: rows.n }, (_, r) => r).filter(keep);
  const X = new Float32Array(idx.length * rows.k);
  idx.forEach((r, i) => X.set(rows.X.subarray(r * rows.k, (r + 1) * rows.k), i * rows.k));
  return { X, n: idx.length };
}

describe('DriftMonitor', () => {
  it('bins exactly as the reference histograms were built (v <= edge, overflow last, NaN after it)', () => {
    const edges = [0, 10, 20];
    expect([-5, 0, 0.5, 10, 19, 20, 21, Infinity, NaN].map((v) => binOf(edges, v))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4]);
  });

  it('finds no drift in a dataset against its own reference', async () => {
    const rows = await nslSample();
    const monitor = new DriftMonitor({ reference: referenceHistograms({ X: rows.X, nRows: rows.n, features: rows.names }) });
    monitor.observe(rows.X, rows.n);
    const report = monitor.report();
    expect(report.rows).toBe(rows.n);
    expect(report.overall).toBeLessThan(1e-3);
    expect(report.alert).toBe(false);
  });

  it('raises the alert on DoS-only traffic against the full mix, naming the drifting features first', async () => {
    const rows = await nslSample();
    const monitor = new DriftMonitor({ reference: referenceHistograms({ X: rows.X, nRows: rows.n, features: rows.names }) });
    const dos = subset(rows, (r) => rows.families[r] === 'DoS');
    expect(dos.n).toBeGreaterThan(50);
    monitor.observe(dos.X, dos.n);
    const report = monitor.report();
    expect(report.overall).toBeGreaterThanOrEqual(0.2);
    expect(report.alert).toBe(true);
    expect(report.max?.psi).toBe(report.features[0].psi);
    expect(report.features[0].psi).toBeGreaterThanOrEqual(report.features[report.features.length - 1].psi);
  });

  it('slides: once the ring has turned over, only the recent traffic counts', async () => {
    const rows = await nslSample();
    const monitor = new DriftMonitor({ reference: referenceHistograms({ X: rows.X, nRows: rows.n, features: rows.names }), window: { slots: 2, rowsPerSlot: rows.n } });
    const dos = subset(rows, (r) => rows.families[r] === 'DoS');
    monitor.observe(dos.X, dos.n);
    expect(monitor.report().alert).toBe(true);
    monitor.observe(rows.X, rows.n);
    monitor.observe(rows.X, rows.n);
    monitor.observe(rows.X, rows.n);
    expect(monitor.report().rows).toBe(2 * rows.n);
    expect(monitor.report().alert).toBe(false);
  });

  it('forgets slots older than the time window even without new rows', async () => {
    const rows = await nslSample();
    let now = 0;
    const monitor = new DriftMonitor({ reference: referenceHistograms({ X: rows.X, nRows: rows.n, features: rows.names }), window: { slots: 3, slotMs: 60_000 }, now: () => now });
    monitor.observe(rows.X, 10);
    now = 4 * 60_000 + 1;
    expect(monitor.report()).toMatchObject({ rows: 0, overall: 0, alert: false, max: null });
  });

  it('smooths empty bins with epsilon instead of dividing by zero', () => {
    const value = psi({ live: [10, 0, 0], liveRows: 10, reference: [0, 0.5, 0.5], epsilon: 1e-4 });
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(5);
  });
});
