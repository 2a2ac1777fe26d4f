// The human `vigil analyze` report (stdout without --json): what was read, what was found,
// who sent it, what self-healing would do, why the first threats were flagged, row errors.
import { decisionsText } from './analyze.decisions';
import { type AnalyzeReport } from './analyze.report';

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const count = (n: number): string => n.toLocaleString('en-US');
// A classifier without a gated benign class can name a benign class for a flagged row.
const BENIGN = /^(benign|normal)$/i;

/** A feature value as a person reads it: integers whole, others to 4 significant digits, NaN as missing. */
export function formatValue(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'missing';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;

function findings(r: AnalyzeReport): string[] {
  const speed = r.rows >= 100_000 ? ` (${count(r.rowsPerSecond)} rows/s)` : '';
  const lines = ['', `${count(r.rows)} rows in ${r.seconds.toFixed(1)} s${speed}: ${count(r.threats)} threats (${pct(r.threats / Math.max(1, r.rows))}), ${count(r.benign)} benign`];
  if (r.threatsByClass.length > 0) {
    const width = Math.max(...r.threatsByClass.map((t) => t.class.length));
    lines.push('', 'threats by class:', ...r.threatsByClass.map((t) => `  ${t.class.padEnd(width)} ${count(t.count).padStart(11)}  ${pct(t.share).padStart(6)}${BENIGN.test(t.class) ? '  (flagged by the detector; the classifier finds it benign)' : ''}`));
  }
  if (r.topSources.length > 0) {
    const width = Math.max(...r.topSources.map((s) => s.srcIp.length));
    lines.push('', 'top sources:', ...r.topSources.map((s) => `  ${s.srcIp.padEnd(width)} ${count(s.threats).padStart(11)}  ${Object.entries(s.classes).slice(0, 3).map(([c, n]) => `${c} ${count(n)}`).join(', ')}`));
  }
  return lines;
}

function examples(r: AnalyzeReport): string[] {
  const shown = r.examples.filter((e) => e.explanation).slice(0, 3);
  if (shown.length === 0) return [];
  const lines = ['', 'why the first threats were flagged (TreeSHAP, top contributions to P(attack)):'];
  for (const e of shown) {
    const top = e.explanation?.attack.top.map((t) => `${t.feature}=${formatValue(t.value)} ${signed(t.contribution)}`).join(', ');
    lines.push(`  ${e.file}:${e.row}${e.srcIp ? ` ${e.srcIp}` : ''} ${e.attackClass} (p ${e.probability.toFixed(3)}): ${top}`);
  }
  return lines;
}

export function reportText(r: AnalyzeReport): string {
  const lines = r.files.map((f) => `${f.file}: ${f.contract} (${f.variant}), ${count(f.rows)} rows, ${count(f.errorRows)} rejected`);
  for (const [c, m] of Object.entries(r.models)) lines.push(`models (${c}): ${m.detector.name} v${m.detector.version}, ${m.classifier.name} v${m.classifier.version}`);
  lines.push(...findings(r), '', ...decisionsText(r.decisions));
  if (r.threatsWithoutSource > 0) lines.push(`  ${count(r.threatsWithoutSource)} threats have no source IP in their row (NSL-KDD, some CIC layouts): nothing to act on`);
  lines.push(...examples(r));
  if (r.drift) {
    for (const [m, d] of Object.entries(r.drift)) {
      lines.push('', `drift vs ${m}: PSI ${d.overall.toFixed(3)} over ${count(d.rows)} rows${d.alert ? ` >= ${d.bound}: DRIFT` : ` (alert at ${d.bound})`}; top: ${d.top.slice(0, 5).map((f) => `${f.feature} ${f.psi.toFixed(3)}`).join(', ')}`);
    }
  }
  lines.push('', `row errors: ${count(r.errors.rows)}${r.errors.rows > 0 ? ` ${Object.entries(r.errors.byCode).map(([c, n]) => `${c} ${count(n)}`).join(', ')}` : ''}`);
  for (const e of r.errors.first.slice(0, 5)) lines.push(`  ${e.file}:${e.row} ${e.code}${e.field ? ` (${e.field})` : ''}: ${e.reason}`);
  return `${lines.join('\n')}\n`;
}
