import { EvidenceWindow } from './evidence.window';

describe('EvidenceWindow', () => {
  it('counts the threats of a key inside the window, this one included', () => {
    const w = new EvidenceWindow();
    const rec = (atMs: number, key = 'a'): number => w.record({ key, atMs, windowMs: 60_000, cap: 5 });
    expect([0, 1_000, 2_000].map((t) => rec(t))).toEqual([1, 2, 3]);
    expect(rec(500, 'b')).toBe(1);
    // At 61 s the threat at 0 s and 1 s (exactly on the edge) have left the window.
    expect(rec(61_000)).toBe(2);
  });

  it('caps the count at the threshold like the service does, keeping memory bounded', () => {
    const w = new EvidenceWindow();
    const counts = Array.from({ length: 50 }, (_, i) => w.record({ key: 'flood', atMs: i, windowMs: 60_000, cap: 20 }));
    expect(counts.slice(18, 22)).toEqual([19, 20, 20, 20]);
  });

  it('forgets the key seen least recently past maxKeys', () => {
    const w = new EvidenceWindow(2);
    w.record({ key: 'a', atMs: 0, windowMs: 60_000, cap: 5 });
    w.record({ key: 'b', atMs: 1, windowMs: 60_000, cap: 5 });
    w.record({ key: 'a', atMs: 2, windowMs: 60_000, cap: 5 });
    w.record({ key: 'c', atMs: 3, windowMs: 60_000, cap: 5 });
    expect(w.size).toBe(2);
    expect(w.record({ key: 'a', atMs: 4, windowMs: 60_000, cap: 5 })).toBe(3);
    expect(w.record({ key: 'b', atMs: 5, windowMs: 60_000, cap: 5 })).toBe(1);
  });
});
