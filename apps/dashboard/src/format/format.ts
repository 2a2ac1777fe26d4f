// Numbers, rates, times and sizes as the dashboard shows them. Fixed locale ('en-US') so the
// page reads the same on every machine and tests can pin the output.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}B`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e4) return `${trim(n / 1e3)}k`;
  return integer.format(n);
}

/** Events per second, with one decimal below 10 so a trickle does not read as zero. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '—';
  if (perSecond > 0 && perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  return `${formatCount(Math.round(perSecond))}/s`;
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `2025-01-02 13:04:05` in UTC: operators compare times across hosts, so one zone everywhere. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** `13:04` (UTC) for chart axes. */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** `3 min ago`, `in 2 h`: relative to `now`. */
export function formatRelative(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  if (!Number.isFinite(diff)) return '—';
  const abs = Math.abs(diff) / 1000;
  const text = abs < 60 ? `${Math.round(abs)} s` : abs < 3600 ? `${Math.round(abs / 60)} min` : abs < 86400 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86400)} d`;
  return diff < 0 ? `${text} ago` : `in ${text}`;
}

/** Seconds as `15 min`, `1 h`, `7 d` (decision durations). */
export function formatDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** Parses `30m`, `1h`, `2d`, `90s` or plain seconds; null when it is not a positive duration. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+)\s*(s|m|min|h|d)?\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const factor = { s: 1, m: 60, min: 60, h: 3600, d: 86400 }[m[2] ?? 's'] ?? 1;
  return n > 0 ? n * factor : null;
}

function trim(n: number): string {
  return n.toFixed(Math.abs(n) < 10 ? 1 : 0).replace(/\.0$/, '');
}
