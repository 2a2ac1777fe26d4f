import { formatBytes, formatClock, formatCount, formatDuration, formatPercent, formatRate, formatRelative, formatTime, parseDuration } from './format';

describe('dashboard formatting', () => {
  it('counts shorten past ten thousand and keep small numbers exact', () => {
    expect([formatCount(0), formatCount(9999), formatCount(12_345), formatCount(1_500_000), formatCount(2_000_000_000)]).toEqual(['0', '9,999', '12k', '1.5M', '2B']);
    expect([formatCount(null), formatCount(NaN)]).toEqual(['—', '—']);
  });

  it('rates keep a decimal below 10/s so a trickle does not read as zero', () => {
    expect([formatRate(0), formatRate(0.25), formatRate(9.94), formatRate(1234.4), formatRate(45_600)]).toEqual(['0/s', '0.3/s', '9.9/s', '1,234/s', '46k/s']);
  });

  it('percent, bytes, UTC times and relative times', () => {
    expect(formatPercent(0.98765, 2)).toBe('98.77%');
    expect(formatPercent(null)).toBe('—');
    expect([formatBytes(512), formatBytes(2048), formatBytes(5.5 * 1024 * 1024), formatBytes(300 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '5.5 MB', '300 MB']);
    expect(formatTime('2025-03-04T05:06:07.890Z')).toBe('2025-03-04 05:06:07');
    expect(formatTime('not a time')).toBe('—');
    expect(formatClock(Date.UTC(2025, 0, 1, 13, 4))).toBe('13:04');
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(formatRelative(new Date(now - 30_000).toISOString(), now)).toBe('30 s ago');
    expect(formatRelative(new Date(now + 2 * 3_600_000).toISOString(), now)).toBe('in 2 h');
  });

  it('durations round-trip between the form and the API', () => {
    expect([parseDuration('90'), parseDuration('30m'), parseDuration('1h'), parseDuration(' 2d '), parseDuration('0'), parseDuration('1w'), parseDuration('')]).toEqual([90, 1800, 3600, 172_800, null, null, null]);
    expect([formatDuration(900), formatDuration(3600), formatDuration(7 * 86400), formatDuration(61)]).toEqual(['15 min', '1 h', '7 d', '61 s']);
  });
});
