import { formatClock, formatCount } from '../format/format';
import { areaPath, linearScale, linePath, niceAxis, seriesColor, stack } from './chart.scale';

export interface ChartSeries { name: string; values: readonly number[] }

interface Props {
  /** Accessible name of the chart. */
  title: string;
  /** Start of each x slot (epoch ms). */
  xs: readonly number[];
  series: readonly ChartSeries[];
  /** 'lines': each series on its own; 'stacked': areas stacked in order. */
  mode: 'lines' | 'stacked';
  height?: number;
  format?: (n: number) => string;
}

const WIDTH = 640;
const PAD = { top: 10, right: 12, bottom: 24, left: 48 };

/** A small time-series chart in SVG: y from zero, five x labels, a legend, a text summary for screen readers. */
export function TimeChart({ title, xs, series, mode, height = 200, format = formatCount }: Props) {
  const layers = mode === 'stacked' ? stack(series.map((s) => s.values)) : series.map((s) => ({ lower: s.values.map(() => 0), upper: [...s.values] }));
  const max = layers.reduce((m, l) => Math.max(m, ...l.upper), 0);
  const axis = niceAxis(max);
  const x = linearScale([0, Math.max(1, xs.length - 1)], [PAD.left, WIDTH - PAD.right]);
  const y = linearScale([0, axis.max], [height - PAD.bottom, PAD.top]);
  const labelEvery = Math.max(1, Math.ceil(xs.length / 5));
  const latest = series.map((s) => `${s.name} ${format(s.values[s.values.length - 1] ?? 0)}`).join(', ');
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}. Latest: ${latest || 'no data'}.`} preserveAspectRatio="none">
        {axis.ticks.map((t) => (
          <g key={t}>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
            <text class="tick" x={PAD.left - 6} y={y(t) + 4} text-anchor="end">{format(t)}</text>
          </g>
        ))}
        {xs.map((ms, i) => ((i % labelEvery === 0 && xs.length - 1 - i >= labelEvery / 2) || i === xs.length - 1 ? <text key={ms} class="tick" x={x(i)} y={height - 6} text-anchor={i === xs.length - 1 ? 'end' : 'middle'}>{formatClock(ms)}</text> : null))}
        {layers.map((l, k) => {
          const upper = l.upper.map((v, i) => ({ x: x(i), y: y(v) }));
          const color = seriesColor(k);
          if (mode === 'lines') return <path key={series[k].name} d={linePath(upper)} class="series-line" stroke={color} />;
          const lower = l.lower.map((v, i) => ({ x: x(i), y: y(v) })).reverse();
          const d = `${linePath([...upper, ...lower])}Z`;
          return <path key={series[k].name} d={upper.length > 0 ? d : areaPath([], 0)} fill={color} class="series-area" />;
        })}
      </svg>
      <figcaption class="legend">
        {series.map((s, k) => (
          <span key={s.name} class="legend-item"><span class="swatch" style={{ background: seriesColor(k) }} aria-hidden="true" />{s.name}</span>
        ))}
      </figcaption>
    </figure>
  );
}
