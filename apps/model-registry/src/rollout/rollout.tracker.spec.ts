import { type RolloutReport } from '@vigil/contracts';
import { RolloutTracker } from './rollout.tracker';

const report = (replica: string, models: RolloutReport['models']): RolloutReport => ({ replica, service: 'detection', at: new Date(0).toISOString(), models });
const serving = (version: number, aliases: ('production' | 'canary' | 'shadow')[], extra = {}) => ({ name: 'det', version, state: 'serving' as const, aliases, batches: 0, ...extra });

describe('RolloutTracker', () => {
  const t0 = new Date('2030-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const aliases = new Map([['det', { production: { version: 2 }, canary: { version: 3, canaryShare: 10 }, shadow: { version: 4 } }]]);

  it('counts per alias how many replicas serve which version, with failures and shadow agreement', () => {
    const tracker = new RolloutTracker(30_000);
    tracker.record(report('a', [serving(2, ['production']), serving(3, ['canary']), serving(4, ['shadow'], { agreement: { rows: 100, agreed: 90 } })]), t0);
    tracker.record(report('b', [serving(1, ['production']), { name: 'det', version: 2, state: 'failed', aliases: [], batches: 0, reason: 'onnxruntime said no' }, serving(4, ['shadow'], { agreement: { rows: 100, agreed: 100 } })]), t0);
    const status = tracker.status({ now: at(1_000), aliases });
    const [det] = status.models;
    expect(det).toMatchObject({
      name: 'det', replicas: 2,
      aliases: {
        production: { target: 2, serving: { 1: 1, 2: 1 }, onTarget: 1 },
        canary: { target: 3, canaryShare: 10, serving: { 3: 1 }, onTarget: 1 },
        shadow: { target: 4, serving: { 4: 2 }, onTarget: 2 },
      },
      failures: [{ replica: 'b', version: 2, reason: 'onnxruntime said no' }],
      shadowAgreement: { rows: 200, agreed: 190, rate: 0.95 },
    });
    expect(status.replicas.map((r) => r.replica)).toEqual(['a', 'b']);
  });

  it('keeps only the latest report of a replica and forgets replicas silent for longer than the limit', () => {
    const tracker = new RolloutTracker(30_000);
    tracker.record(report('a', [serving(1, ['production'])]), t0);
    tracker.record(report('a', [serving(2, ['production'])]), at(10_000));
    tracker.record(report('b', [serving(1, ['production'])]), t0);
    const status = tracker.status({ now: at(35_000), aliases });
    expect(status.replicas.map((r) => r.replica)).toEqual(['a']);
    expect(status.models[0]?.aliases.production).toEqual({ target: 2, serving: { 2: 1 }, onTarget: 1 });
    expect(tracker.status({ now: at(41_000), aliases }).models[0]?.replicas).toBe(0);
  });

  it('keeps the latest observed stats per replica and version, as each replica last reported them', () => {
    const tracker = new RolloutTracker(30_000);
    const stats = (p50Ms: number, rowsPerSecond: number) => ({ calls: 100, rows: rowsPerSecond * 60, p50Ms, p99Ms: p50Ms * 3, rowsPerSecond, windowSeconds: 60 });
    tracker.record(report('a', [serving(2, ['production'], { stats: stats(1, 100) }), serving(4, ['shadow'], { stats: stats(9, 100) })]), t0);
    tracker.record(report('b', [serving(2, ['production'], { stats: stats(2, 50) })]), t0);
    tracker.record(report('a', [serving(2, ['production'], { stats: stats(1.5, 120) }), serving(4, ['shadow'])]), at(5_000));
    const replicas = tracker.status({ now: at(6_000), aliases }).replicas;
    const of = (replica: string) => replicas.find((r) => r.replica === replica)?.models.map((m) => [m.version, m.stats?.p50Ms, m.stats?.rowsPerSecond]);
    expect(of('a')).toEqual([[2, 1.5, 120], [4, undefined, undefined]]);
    expect(of('b')).toEqual([[2, 2, 50]]);
  });

  it('filters by model name', () => {
    const tracker = new RolloutTracker(30_000);
    tracker.record(report('a', [{ ...serving(1, ['production']), name: 'other' }]), t0);
    expect(tracker.status({ now: t0, aliases, name: 'det' }).replicas).toEqual([]);
    expect(tracker.status({ now: t0, aliases, name: 'other' }).models.map((m) => m.name)).toEqual(['other']);
  });
});
