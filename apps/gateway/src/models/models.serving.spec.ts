import { type ReplicaModel } from '@vigil/contracts';
import { servingFigures } from './models.serving';

const stats = (p50Ms: number, p99Ms: number, rows: number, rowsPerSecond: number) => ({ calls: 500, rows, p50Ms, p99Ms, rowsPerSecond, windowSeconds: 60 });
const held = (version: number, extra: Partial<ReplicaModel> = {}): ReplicaModel => ({ name: 'det', version, state: 'serving', aliases: ['production'], batches: 1, ...extra });

describe('servingFigures', () => {
  it('weights each replica\'s percentiles by its rows and sums throughput, over replicas serving the version only', () => {
    const figures = servingFigures({
      name: 'det', version: 2,
      replicas: [
        { replica: 'a', service: 'detection', models: [held(2, { stats: stats(2, 10, 3_000, 50) })] },
        { replica: 'b', service: 'detection', models: [held(2, { stats: stats(6, 30, 1_000, 16.5) }), held(3, { aliases: ['shadow'], stats: stats(99, 99, 9_000, 150) })] },
        { replica: 'c', service: 'detection', models: [held(2, { state: 'failed', aliases: [], stats: stats(99, 99, 9_000, 150) })] },
        { replica: 'd', service: 'detection', models: [held(2)] },
        { replica: 'e', service: 'detection', models: [held(2, { name: 'other', stats: stats(99, 99, 9_000, 150) })] },
      ],
    });
    expect(figures.latencyMs).toEqual({ p50: 3, p99: 15 });
    expect(figures.throughputRowsPerSecond).toBe(66.5);
    expect(figures.perReplica.map((r) => [r.replica, r.p50Ms])).toEqual([['a', 2], ['b', 6]]);
  });

  it('weights by calls when no replica scored a row in its window, and is null when no replica reports stats', () => {
    const idle = servingFigures({ name: 'det', version: 2, replicas: [
      { replica: 'a', service: 'detection', models: [held(2, { stats: { ...stats(2, 4, 0, 0), calls: 300 } })] },
      { replica: 'b', service: 'detection', models: [held(2, { stats: { ...stats(4, 8, 0, 0), calls: 100 } })] },
    ] });
    expect(idle).toMatchObject({ latencyMs: { p50: 2.5, p99: 5 }, throughputRowsPerSecond: 0 });
    expect(servingFigures({ name: 'det', version: 2, replicas: [{ replica: 'a', service: 'detection', models: [held(2)] }] })).toEqual({ latencyMs: null, throughputRowsPerSecond: null, perReplica: [] });
  });
});
