import { fnv1a32, routesToCanary } from './canary.routing';

describe('canary routing', () => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `nsl-kdd:sensor-1:${i}`);

  it('matches the FNV-1a reference values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('is deterministic: the same batch always goes the same way', () => {
    for (const id of ids.slice(0, 1000)) expect(routesToCanary(id, 10)).toBe(routesToCanary(id, 10));
  });

  it.each([1, 10, 25, 50])('routes %i %% of 100,000 batch ids to the canary within ±0.5 %%', (share) => {
    const picked = ids.filter((id) => routesToCanary(id, share)).length / ids.length;
    expect(Math.abs(picked * 100 - share)).toBeLessThan(0.5);
  });

  it('is monotonic in the share: raising it only adds batches to the canary', () => {
    const at10 = ids.filter((id) => routesToCanary(id, 10));
    expect(at10.every((id) => routesToCanary(id, 20))).toBe(true);
  });

  it('sends nothing at 0 % and everything at 100 %', () => {
    expect(ids.slice(0, 500).some((id) => routesToCanary(id, 0))).toBe(false);
    expect(ids.slice(0, 500).every((id) => routesToCanary(id, 100))).toBe(true);
  });
});
