import { type Alert, type Stats } from '../api/api.types';

const MINUTE = 60_000;

/** Per-minute counts over a window ending at the current minute (index 0 = oldest). */
export interface Timeline {
  /** Start of each minute, epoch ms. */
  readonly minutes: number[];
  readonly flows: number[];
  readonly threats: number[];
  /** Threats per attack class, each aligned with `minutes`. */
  readonly byClass: Record<string, number[]>;
}

export function emptyTimeline(now: number, span = 60): Timeline {
  const last = Math.floor(now / MINUTE) * MINUTE;
  const minutes = Array.from({ length: span }, (_, i) => last - (span - 1 - i) * MINUTE);
  return { minutes, flows: new Array<number>(span).fill(0), threats: new Array<number>(span).fill(0), byClass: {} };
}

function indexOf(t: Timeline, atMs: number): number {
  const start = Math.floor(atMs / MINUTE) * MINUTE;
  return (start - t.minutes[0]) / MINUTE;
}

function addThreat(t: Timeline, args: { index: number; attackClass: string; count: number }): void {
  t.threats[args.index] += args.count;
  const series = (t.byClass[args.attackClass] ??= new Array<number>(t.minutes.length).fill(0));
  series[args.index] += args.count;
}

/** The stats route's per-minute series folded into a timeline (every contract and model summed). */
export function timelineFromStats(stats: Stats, args: { now: number; span?: number }): Timeline {
  const t = emptyTimeline(args.now, args.span);
  for (const p of stats.series) {
    const i = indexOf(t, new Date(p.minute).getTime());
    if (!(i >= 0 && i < t.minutes.length)) continue;
    if (p.metric === 'flows') t.flows[i] += p.count;
    else if (p.metric === 'threats') addThreat(t, { index: i, attackClass: p.class || 'unknown', count: p.count });
  }
  return t;
}

/** Moves the window forward to `now`, keeping the counts of minutes still inside it. */
export function shiftTimeline(t: Timeline, now: number): Timeline {
  const next = emptyTimeline(now, t.minutes.length);
  const offset = (next.minutes[0] - t.minutes[0]) / MINUTE;
  if (offset === 0) return t;
  const move = (from: number[]): number[] => next.minutes.map((_, i) => from[i + offset] ?? 0);
  const byClass = Object.fromEntries(Object.entries(t.byClass).map(([c, s]) => [c, move(s)]).filter(([, s]) => (s as number[]).some((v) => v > 0)));
  return { minutes: next.minutes, flows: move(t.flows), threats: move(t.threats), byClass };
}

/** Live alerts counted into their minute (a copy; alerts outside the window are ignored). */
export function withLiveAlerts(t: Timeline, alerts: readonly Pick<Alert, 'at' | 'attackClass'>[]): Timeline {
  const next: Timeline = { minutes: t.minutes, flows: t.flows.slice(), threats: t.threats.slice(), byClass: Object.fromEntries(Object.entries(t.byClass).map(([c, s]) => [c, s.slice()])) };
  for (const a of alerts) {
    const i = indexOf(next, new Date(a.at).getTime());
    if (i >= 0 && i < next.minutes.length) addThreat(next, { index: i, attackClass: a.attackClass, count: 1 });
  }
  return next;
}

/** Per-second rate of the latest minute; the current minute is divided by the seconds it has run so far. */
export function currentRate(counts: readonly number[], args: { minutes: readonly number[]; now: number }): number {
  if (counts.length === 0) return 0;
  const last = counts.length - 1;
  const elapsed = Math.min(60, Math.max(1, (args.now - args.minutes[last]) / 1000));
  // Early in a minute its few seconds say little: use the previous full minute then.
  if (elapsed < 10 && last > 0) return counts[last - 1] / 60;
  return counts[last] / elapsed;
}

/** Per-second rates of a per-minute series (for the chart). */
export function perSecond(counts: readonly number[]): number[] {
  return counts.map((c) => c / 60);
}

export interface SourceRow { ip: string; alerts: number; classes: string[]; lastSeen: string }

/** The sources behind the most alerts, most first (ties: most recent first). */
export function topSources(alerts: readonly Pick<Alert, 'sourceIp' | 'attackClass' | 'at'>[], limit = 8): SourceRow[] {
  const rows = new Map<string, { alerts: number; classes: Set<string>; lastSeen: string }>();
  for (const a of alerts) {
    if (!a.sourceIp) continue;
    const row = rows.get(a.sourceIp) ?? { alerts: 0, classes: new Set<string>(), lastSeen: a.at };
    row.alerts++;
    row.classes.add(a.attackClass);
    if (a.at > row.lastSeen) row.lastSeen = a.at;
    rows.set(a.sourceIp, row);
  }
  return [...rows]
    .map(([ip, r]) => ({ ip, alerts: r.alerts, classes: [...r.classes].sort(), lastSeen: r.lastSeen }))
    .sort((a, b) => b.alerts - a.alerts || b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, limit);
}

/** Classes ordered by their threats in the window, most first, the tail beyond `keep` folded into "other". */
export function classSeries(t: Timeline, keep = 6): { name: string; values: number[] }[] {
  const ranked = Object.entries(t.byClass).map(([name, values]) => ({ name, values, total: values.reduce((a, b) => a + b, 0) })).sort((a, b) => b.total - a.total);
  const head = ranked.slice(0, keep).map(({ name, values }) => ({ name, values }));
  const tail = ranked.slice(keep);
  if (tail.length === 0) return head;
  const other = t.minutes.map((_, i) => tail.reduce((n, s) => n + s.values[i], 0));
  return [...head, { name: 'other', values: other }];
}
