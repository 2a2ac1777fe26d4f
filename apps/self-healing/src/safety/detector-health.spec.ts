import { DetectorHealth } from './detector-health';

describe('DetectorHealth', () => {
  it('declares an outage when flows keep coming without detections, and recovery when detections resume', () => {
    const health = new DetectorHealth({ outageAfterMs: 30_000, startedAtMs: 0 });
    expect(health.observe({ flowsLastAt: 10_000, detectionsLastAt: 9_000, nowMs: 10_000 })).toBeUndefined();
    expect(health.observe({ flowsLastAt: 45_000, detectionsLastAt: 9_000, nowMs: 45_000 })).toBe('outage');
    expect(health.healthy).toBe(false);
    expect(health.observe({ flowsLastAt: 50_000, detectionsLastAt: 49_000, nowMs: 50_000 })).toBe('recovered');
    expect(health.healthy).toBe(true);
  });

  it('does not call quiet traffic an outage, nor flows that arrived before it started watching', () => {
    const health = new DetectorHealth({ outageAfterMs: 30_000, startedAtMs: 1_000_000 });
    expect(health.observe({ flowsLastAt: undefined, detectionsLastAt: undefined, nowMs: 2_000_000 })).toBeUndefined();
    expect(health.observe({ flowsLastAt: 10_000, detectionsLastAt: undefined, nowMs: 2_000_000 })).toBeUndefined();
    expect(health.healthy).toBe(true);
  });

  it('honours an explicit signal until the opposite signal', () => {
    const health = new DetectorHealth({ outageAfterMs: 30_000, startedAtMs: 0 });
    expect(health.signal({ healthy: false, source: 'detection', reason: 'model failed to load' })).toBe('outage');
    expect(health.observe({ flowsLastAt: 5, detectionsLastAt: 5, nowMs: 10 })).toBeUndefined();
    expect(health.healthy).toBe(false);
    expect(health.signal({ healthy: true, source: 'detection', reason: 'model loaded' })).toBe('recovered');
  });
});
