// The arithmetic behind the SVG charts: scales, "nice" ticks, path data, heat-map colours.

export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

/** Maps [d0, d1] onto [r0, r1]; a flat domain maps everything to the range's start. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0))) as LinearScale;
  return Object.assign(scale, { domain, range });
}

/** A step of 1, 2 or 5 × 10^k giving about `count` ticks over [0, max]. */
export function niceStep(max: number, count = 4): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  const nice = unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10;
  return nice * power;
}

/** The top of a y-axis that starts at zero, rounded up to a nice step, and its ticks. */
export function niceAxis(max: number, count = 4): { max: number; ticks: number[] } {
  const step = niceStep(max, count);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { max: top, ticks };
}

export interface Point { x: number; y: number }

/** SVG path data of a polyline (`M x y L x y ...`), rounded to tenths to keep the DOM small. */
export function linePath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)} ${round(p.y)}`).join('');
}

/** The same line closed down to `baseline`, for a filled area under it. */
export function areaPath(points: readonly Point[], baseline: number): string {
  if (points.length === 0) return '';
  const first = points[0];
  const last = points[points.length - 1];
  return `${linePath(points)}L${round(last.x)} ${round(baseline)}L${round(first.x)} ${round(baseline)}Z`;
}

/** Stacked layers: for each series, its lower and upper value per x (series stack in order). */
export function stack(series: readonly (readonly number[])[]): { lower: number[]; upper: number[] }[] {
  const length = series.reduce((n, s) => Math.max(n, s.length), 0);
  const running = new Array<number>(length).fill(0);
  return series.map((s) => {
    const lower = running.slice();
    for (let i = 0; i < length; i++) running[i] += s[i] ?? 0;
    return { lower, upper: running.slice() };
  });
}

/**
 * A heat-map cell's colour: white to a deep blue as `ratio` goes 0 → 1 (a sequential scale that
 * stays readable for colour-blind readers), and the text colour that stays legible on it.
 */
export function heatColor(ratio: number): { fill: string; text: string } {
  const t = Math.min(1, Math.max(0, Number.isFinite(ratio) ? ratio : 0));
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const mix = from.map((c, i) => Math.round(c + (to[i] - c) * t));
  return { fill: `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`, text: t > 0.5 ? '#fff' : '#0b1a2e' };
}

/** A fixed qualitative palette (Okabe–Ito, colour-blind safe) for series by index. */
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
