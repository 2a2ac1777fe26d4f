import { type ModelRunner } from '../model-runner';
import { RunnerLease, buildReport, nextActive, type VersionState } from './served-models';

/** A strict fake: counts releases, fails on anything else. */
function fakeRunner(): ModelRunner & { releases: number } {
  const fake = { releases: 0, release: async () => void (fake.releases += 1) };
  return fake as unknown as ModelRunner & { releases: number };
}

describe('RunnerLease', () => {
  it('releases a retired runner only after the last batch using it finishes', async () => {
    const runner = fakeRunner();
    const lease = new RunnerLease(runner);
    lease.acquire();
    lease.acquire();
    await lease.retire();
    expect(runner.releases).toBe(0);
    await lease.releaseUse();
    expect(runner.releases).toBe(0);
    await lease.releaseUse();
    expect(runner.releases).toBe(1);
  });

  it('releases an idle runner at once, and only once', async () => {
    const runner = fakeRunner();
    const lease = new RunnerLease(runner);
    await lease.retire();
    await lease.retire();
    expect(runner.releases).toBe(1);
  });
});

describe('nextActive', () => {
  const leases = new Map([1, 2, 3].map((v) => [v, new RunnerLease(fakeRunner())]));
  const slot = (v: number) => ({ version: v, lease: leases.get(v)! });

  it('moves each alias to its desired version when that version is loaded', () => {
    const next = nextActive({ current: { production: slot(1) }, desired: { production: { version: 2 }, canary: { version: 3, canaryShare: 10 }, shadow: { version: 1 } }, loaded: leases });
    expect(next).toEqual({ production: slot(2), canary: { ...slot(3), share: 10 }, shadow: slot(1) });
  });

  it('keeps what an alias serves when its desired version did not load', () => {
    const loaded = new Map([[1, leases.get(1)!]]);
    expect(nextActive({ current: { production: slot(1) }, desired: { production: { version: 2 } }, loaded })).toEqual({ production: slot(1) });
  });

  it('drops canary and shadow when the registry cleared them, but never production', () => {
    expect(nextActive({ current: { production: slot(1), canary: { ...slot(2), share: 5 }, shadow: slot(3) }, desired: {}, loaded: leases })).toEqual({ production: slot(1) });
  });
});

describe('buildReport', () => {
  it('carries the observed stats of each version the replica serves, and none before its first call', () => {
    const used = new RunnerLease(fakeRunner());
    for (const ms of [4, 1, 3, 2]) used.stats.record(ms, 250);
    const idle = new RunnerLease(fakeRunner());
    const report = buildReport({ replica: 'r1', service: 'detection', name: 'det', active: { production: { version: 2, lease: used }, shadow: { version: 3, lease: idle } }, states: new Map(), at: new Date(0) });
    expect(report.models[0]).toMatchObject({ version: 2, stats: { calls: 4, rows: 1_000, p50Ms: 2, p99Ms: 4 } });
    expect(report.models[1]).toEqual({ name: 'det', version: 3, aliases: ['shadow'], batches: 0, state: 'serving' });
  });


  it('reports serving versions with their aliases, and failed ones with the reason', () => {
    const states = new Map<number, VersionState>([[2, { state: 'loaded', batches: 7 }], [3, { state: 'failed', reason: 'REGISTRY.VERSION_NOT_FOUND: gone', batches: 0 }]]);
    const lease = new RunnerLease(fakeRunner());
    const report = buildReport({ replica: 'r1', service: 'detection', name: 'det', active: { production: { version: 2, lease }, shadow: { version: 2, lease } }, states, at: new Date(0) });
    expect(report).toEqual({
      replica: 'r1', service: 'detection', at: '1970-01-01T00:00:00.000Z',
      models: [
        { name: 'det', version: 2, aliases: ['production', 'shadow'], batches: 7, state: 'serving' },
        { name: 'det', version: 3, aliases: [], batches: 0, state: 'failed', reason: 'REGISTRY.VERSION_NOT_FOUND: gone' },
      ],
    });
  });
});
