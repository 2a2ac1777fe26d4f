import { CallStatsRing, nearestRank } from './call-stats.ring';

/** A hand-driven monotonic clock (ms). */
function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('CallStatsRing', () => {
  it('reports nothing before the first call', () => {
    expect(new CallStatsRing().snapshot()).toBeUndefined();
  });

  it('gives nearest-rank p50 and p99 of known durations, whatever order they came in', () => {
    const c = clock();
    const ring = new CallStatsRing({ now: c.now });
    // 1..100 ms shuffled deterministically: p50 is the 50th smallest, p99 the 99th.
    for (let i = 0; i < 100; i++) ring.record(((i * 37) % 100) + 1, 10);
    c.advance(60_000);
    expect(ring.snapshot()).toMatchObject({ calls: 100, p50Ms: 50, p99Ms: 99 });
  });

  it('keeps only the last `capacity` calls for the percentiles', () => {
    const ring = new CallStatsRing({ capacity: 4, now: clock().now });
    for (const ms of [900, 900, 900, 1, 2, 3, 4]) ring.record(ms, 1);
    expect(ring.snapshot()).toMatchObject({ calls: 4, p50Ms: 2, p99Ms: 4 });
  });

  it('counts the rows of the last 60 s for throughput, beyond what the ring holds, and forgets older ones', () => {
    const c = clock();
    const ring = new CallStatsRing({ capacity: 10, now: c.now });
    c.advance(120_000);
    for (let s = 0; s < 60; s++) {
      for (let k = 0; k < 5; k++) ring.record(2, 100);
      c.advance(1_000);
    }
    // 5 calls of 100 rows a second for 60 s while the ring holds 10 calls. The window is the
    // current (just begun) second and the 59 before it, so the first second's calls have left.
    expect(ring.snapshot()).toEqual({ calls: 10, rows: 29_500, p50Ms: 2, p99Ms: 2, rowsPerSecond: 491.667, windowSeconds: 60 });
    c.advance(61_000);
    expect(ring.snapshot()).toMatchObject({ calls: 10, rows: 0, rowsPerSecond: 0 });
  });

  it('divides by the time the version has been held when that is under the window (at least 1 s)', () => {
    const c = clock();
    const ring = new CallStatsRing({ now: c.now });
    c.advance(10_000);
    ring.record(5, 2_000);
    expect(ring.snapshot()).toMatchObject({ rows: 2_000, rowsPerSecond: 200, windowSeconds: 10 });
    const fresh = new CallStatsRing({ now: c.now });
    fresh.record(5, 300);
    expect(fresh.snapshot()).toMatchObject({ rowsPerSecond: 300, windowSeconds: 1 });
  });
});

describe('nearestRank', () => {
  it('is the smallest value with at least q of the values at or below it', () => {
    const v = Float64Array.from([10, 20, 30, 40]);
    expect([nearestRank(v, 0.5), nearestRank(v, 0.51), nearestRank(v, 0.99), nearestRank(v, 0)]).toEqual([20, 30, 40, 10]);
  });
});
