import { formatValue } from './analyze.text';

describe('analyze human report', () => {
  it('prints feature values as people read them', () => {
    expect(formatValue(2544.9189453125)).toBe('2545');
    expect(formatValue(0.0312)).toBe('0.0312');
    expect(formatValue(121)).toBe('121');
    expect(formatValue(Number.NaN)).toBe('missing');
    expect(formatValue(null)).toBe('missing');
  });
});
