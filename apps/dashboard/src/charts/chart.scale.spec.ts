import { areaPath, heatColor, linearScale, linePath, niceAxis, niceStep, stack } from './chart.scale';

describe('chart scaling', () => {
  it('a linear scale maps the domain onto the range, inverted y included, and a flat domain to the start', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect([y(0), y(50), y(100)]).toEqual([200, 100, 0]);
    expect(linearScale([5, 5], [10, 90])(5)).toBe(10);
  });

  it('nice axes start at zero, end on a 1-2-5 step at or above the maximum', () => {
    expect(niceStep(0)).toBe(1);
    expect(niceAxis(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceAxis(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceAxis(0.33)).toEqual({ max: 0.4, ticks: [0, 0.1, 0.2, 0.3, 0.4] });
    expect(niceAxis(1234).max).toBe(1500);
    for (const max of [3, 17, 99, 1001, 0.07]) expect(niceAxis(max).max).toBeGreaterThanOrEqual(max);
  });

  it('paths are compact and an area closes down to its baseline', () => {
    expect(linePath([{ x: 0, y: 10 }, { x: 5.04, y: 2.26 }])).toBe('M0 10L5 2.3');
    expect(areaPath([{ x: 0, y: 10 }, { x: 10, y: 0 }], 20)).toBe('M0 10L10 0L10 20L0 20Z');
    expect(areaPath([], 20)).toBe('');
  });

  it('stacked layers sit on each other', () => {
    expect(stack([[1, 2], [3, 4]])).toEqual([{ lower: [0, 0], upper: [1, 2] }, { lower: [1, 2], upper: [4, 6] }]);
  });

  it('heat colours run light to dark with readable text, clamped outside 0..1', () => {
    expect(heatColor(0)).toEqual({ fill: 'rgb(247, 251, 255)', text: '#0b1a2e' });
    expect(heatColor(1)).toEqual({ fill: 'rgb(8, 48, 107)', text: '#fff' });
    expect(heatColor(7)).toEqual(heatColor(1));
    expect(heatColor(NaN)).toEqual(heatColor(0));
  });
});
