import { EvidenceWindow } from './evidence.window';

describe('EvidenceWindow', () => {
  it('counts threats of a key inside the window only', () => {
    const window = new EvidenceWindow();
    const at = (nowMs: number): number => window.record({ key: 'a', nowMs, windowMs: 60_000, threshold: 3 });
    expect([at(0), at(10_000), at(20_000)]).toEqual([1, 2, 3]);
    expect(at(75_000)).toBe(2); // the ones at 0 and 10 s left the window; 20 s and 75 s remain
    expect(window.record({ key: 'b', nowMs: 75_000, windowMs: 60_000, threshold: 3 })).toBe(1);
  });

  it('keeps memory bounded under a flood of distinct sources', () => {
    const window = new EvidenceWindow(1000);
    for (let i = 0; i < 5000; i++) window.record({ key: `src-${i}`, nowMs: i, windowMs: 60_000, threshold: 100 });
    expect(window.size).toBe(1000);
  });

  it('needs fresh evidence after a key is forgotten', () => {
    const window = new EvidenceWindow();
    window.record({ key: 'a', nowMs: 0, windowMs: 60_000, threshold: 2 });
    window.forget('a');
    expect(window.record({ key: 'a', nowMs: 1, windowMs: 60_000, threshold: 2 })).toBe(1);
  });
});
