// The `vigil analyze` report: running tallies over every batch, then one stable JSON object
// (documented in docs/analyze.md; analyze.report.spec.ts pins its keys and types).
import { type RowError } from '@vigil/contracts';
import { type DriftReport, type FeatureContribution } from '@vigil/ml';
import { type DecisionsSummary } from './analyze.decisions';

export const REPORT_VERSION = 1;
const MAX_SOURCES = 100_000;
const FIRST_ERRORS = 20;
/** Threats explained in the report's examples (the first ones, in file order). */
export const MAX_EXAMPLES = 10;

export interface ModelRef { readonly name: string; readonly version: number }

export interface ExplainedPart {
  readonly target: string;
  readonly expectedValue: number;
  readonly top: readonly FeatureContribution[];
}

export interface ThreatExample {
  readonly file: string;
  readonly row: number;
  readonly flowId: string | null;
  readonly srcIp: string | null;
  readonly dstIp: string | null;
  readonly attackClass: string;
  readonly probability: number;
  readonly detectorProbability: number;
  /** Why the detector flagged it (P(attack)) and why the classifier named this class. */
  readonly explanation: { readonly method: string; readonly attack: ExplainedPart; readonly attackClass: ExplainedPart } | null;
}

export interface AnalyzeReport {
  readonly version: number;
  readonly files: readonly { file: string; contract: string; variant: string; rows: number; errorRows: number }[];
  readonly models: Readonly<Record<string, { detector: ModelRef; classifier: ModelRef }>>;
  readonly rows: number;
  readonly threats: number;
  readonly benign: number;
  readonly threatsByClass: readonly { class: string; count: number; share: number }[];
  readonly topSources: readonly { srcIp: string; threats: number; classes: Readonly<Record<string, number>> }[];
  readonly threatsWithoutSource: number;
  readonly decisions: DecisionsSummary;
  readonly errors: { readonly rows: number; readonly byCode: Readonly<Record<string, number>>; readonly first: readonly (RowError & { file: string })[] };
  readonly examples: readonly ThreatExample[];
  readonly drift: Readonly<Record<string, DriftSummary>> | null;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

export interface DriftSummary {
  readonly model: ModelRef;
  readonly rows: number;
  readonly overall: number;
  readonly bound: number;
  readonly alert: boolean;
  readonly top: readonly { feature: string; psi: number }[];
}

export function driftSummary(model: ModelRef, r: DriftReport): DriftSummary {
  return { model, rows: r.rows, overall: round(r.overall), bound: r.bound, alert: r.alert, top: r.features.slice(0, 10).map((f) => ({ feature: f.feature, psi: round(f.psi) })) };
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

export class ReportTally {
  readonly files: { file: string; contract: string; variant: string; rows: number; errorRows: number }[] = [];
  readonly models: Record<string, { detector: ModelRef; classifier: ModelRef }> = {};
  rows = 0;
  threats = 0;
  threatsWithoutSource = 0;
  private readonly byClass = new Map<string, number>();
  private readonly sources = new Map<string, { threats: number; classes: Map<string, number> }>();
  private readonly errorCodes = new Map<string, number>();
  private readonly firstErrors: (RowError & { file: string })[] = [];
  private errorRows = 0;
  readonly examples: ThreatExample[] = [];

  addErrors(file: string, errors: readonly RowError[]): void {
    this.errorRows += errors.length;
    for (const e of errors) {
      this.errorCodes.set(e.code, (this.errorCodes.get(e.code) ?? 0) + 1);
      if (this.firstErrors.length < FIRST_ERRORS) this.firstErrors.push({ file, ...e });
    }
  }

  addThreat(attackClass: string, srcIp: string | undefined): void {
    this.threats += 1;
    this.byClass.set(attackClass, (this.byClass.get(attackClass) ?? 0) + 1);
    if (srcIp === undefined) {
      this.threatsWithoutSource += 1;
      return;
    }
    let s = this.sources.get(srcIp);
    // Past the cap new sources are not tracked (their threats still count by class).
    if (!s && this.sources.size >= MAX_SOURCES) return;
    if (!s) this.sources.set(srcIp, (s = { threats: 0, classes: new Map() }));
    s.threats += 1;
    s.classes.set(attackClass, (s.classes.get(attackClass) ?? 0) + 1);
  }

  report(args: { decisions: DecisionsSummary; drift: Record<string, DriftSummary> | null; seconds: number }): AnalyzeReport {
    const threatsByClass = [...this.byClass].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([c, count]) => ({ class: c, count, share: round(count / Math.max(1, this.threats)) }));
    const topSources = [...this.sources].sort((a, b) => b[1].threats - a[1].threats || a[0].localeCompare(b[0])).slice(0, 10)
      .map(([srcIp, s]) => ({ srcIp, threats: s.threats, classes: Object.fromEntries([...s.classes].sort((a, b) => b[1] - a[1])) }));
    return {
      version: REPORT_VERSION, files: this.files, models: this.models, rows: this.rows, threats: this.threats, benign: this.rows - this.threats,
      threatsByClass, topSources, threatsWithoutSource: this.threatsWithoutSource, decisions: args.decisions,
      errors: { rows: this.errorRows, byCode: Object.fromEntries(this.errorCodes), first: this.firstErrors },
      examples: this.examples, drift: args.drift, seconds: round(args.seconds), rowsPerSecond: Math.round(this.rows / Math.max(args.seconds, 1e-9)),
    };
  }
}
