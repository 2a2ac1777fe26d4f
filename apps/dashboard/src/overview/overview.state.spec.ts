import { type Stats } from '../api/api.types';
import { classSeries, currentRate, emptyTimeline, shiftTimeline, timelineFromStats, topSources, withLiveAlerts } from './overview.state';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const minute = (i: number) => new Date(T0 + i * 60_000).toISOString();

function stats(series: Stats['series']): Stats {
  return { from: minute(-59), to: minute(0), series, totals: { flows: 0, flagged: 0, threats: 0, detectionRate: null, byClass: {}, byModel: {} } };
}

describe('overview timeline', () => {
  it('sums the per-minute series over contracts and models into the last hour, threats by class, flagged left out', () => {
    const t = timelineFromStats(stats([
      { minute: minute(0), contract: 'nsl-kdd', metric: 'flows', class: '', model: 'd@1', count: 600 },
      { minute: minute(0), contract: 'cicflowmeter', metric: 'flows', class: '', model: 'd@2', count: 60 },
      { minute: minute(-1), contract: 'nsl-kdd', metric: 'flagged', class: '', model: 'd@1', count: 99 },
      { minute: minute(-1), contract: 'nsl-kdd', metric: 'threats', class: 'neptune', model: 'c@1', count: 30 },
      { minute: minute(-1), contract: 'nsl-kdd', metric: 'threats', class: 'smurf', model: 'c@1', count: 12 },
      { minute: minute(-90), contract: 'nsl-kdd', metric: 'flows', class: '', model: 'd@1', count: 1 },
    ]), { now: T0 + 30_000 });
    expect(t.minutes).toHaveLength(60);
    expect(t.minutes[59]).toBe(T0);
    expect(t.flows[59]).toBe(660);
    expect(t.flows.reduce((a, b) => a + b, 0)).toBe(660);
    expect(t.threats[58]).toBe(42);
    expect(t.byClass).toEqual({ neptune: expect.any(Array), smurf: expect.any(Array) });
    expect(t.byClass.neptune[58]).toBe(30);
  });

  it('live alerts add to their minute; the window moves on and drops what falls out', () => {
    const base = emptyTimeline(T0 + 5_000);
    const live = withLiveAlerts(base, [{ at: minute(0), attackClass: 'smurf' }, { at: new Date(T0 + 20_000).toISOString(), attackClass: 'smurf' }, { at: minute(-200), attackClass: 'old' }]);
    expect(live.threats[59]).toBe(2);
    expect(base.threats[59]).toBe(0);
    expect(Object.keys(live.byClass)).toEqual(['smurf']);
    const later = shiftTimeline(live, T0 + 2 * 60_000);
    expect(later.minutes[59]).toBe(T0 + 2 * 60_000);
    expect(later.threats[57]).toBe(2);
    expect(shiftTimeline(later, T0 + 120 * 60_000).byClass).toEqual({});
  });

  it('the current rate divides the running minute by its elapsed seconds, and uses the previous minute in its first seconds', () => {
    const minutes = [T0 - 60_000, T0];
    expect(currentRate([600, 300], { minutes, now: T0 + 30_000 })).toBe(10);
    expect(currentRate([600, 3], { minutes, now: T0 + 2_000 })).toBe(10);
    expect(currentRate([], { minutes: [], now: T0 })).toBe(0);
  });

  it('top sources rank by alerts then recency, skip flows without a source', () => {
    const rows = topSources([
      { sourceIp: '10.0.0.1', attackClass: 'smurf', at: minute(-3) },
      { sourceIp: '10.0.0.2', attackClass: 'neptune', at: minute(-1) },
      { sourceIp: '10.0.0.1', attackClass: 'neptune', at: minute(-2) },
      { sourceIp: '10.0.0.3', attackClass: 'satan', at: minute(-5) },
      { sourceIp: null, attackClass: 'smurf', at: minute(0) },
    ], 2);
    expect(rows).toEqual([
      { ip: '10.0.0.1', alerts: 2, classes: ['neptune', 'smurf'], lastSeen: minute(-2) },
      { ip: '10.0.0.2', alerts: 1, classes: ['neptune'], lastSeen: minute(-1) },
    ]);
  });

  it('class series keep the biggest classes and fold the tail into "other"', () => {
    const t = emptyTimeline(T0, 2);
    Object.assign(t.byClass, { a: [5, 5], b: [1, 0], c: [0, 2], d: [3, 3] });
    expect(classSeries(t, 2)).toEqual([{ name: 'a', values: [5, 5] }, { name: 'd', values: [3, 3] }, { name: 'other', values: [1, 2] }]);
  });
});
