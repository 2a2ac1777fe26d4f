// The self-healing decisions `vigil analyze` would take: the threats of the run go, in row
// order, through @vigil/remediation's DecisionSimulator — the same engine (evaluateThreat),
// policies (shipped defaults, or --policies over them) and allowlist rules as apps/self-healing,
// with simulation mode on, and the evidence windows and open decisions kept in memory.
import { type ContractId, type DecisionReason } from '@vigil/contracts';
import { DecisionSimulator, LOOPBACK_NETWORKS, PolicySet, defaultPolicies, layerPolicies, loadPolicyFile, type SimulatedDecision } from '@vigil/remediation';

export interface SimulatedThreat {
  readonly contract: ContractId;
  readonly flowId: string | null;
  readonly srcIp?: string;
  readonly attackClass: string;
  readonly probability: number;
  /** `detector@v+classifier@v`, as the pipeline writes it. */
  readonly modelVersion: string;
  /** With --explain: the detector's top features for P(attack). */
  readonly topFeatures?: readonly { name: string; weight: number }[];
  /** The flow's own time (ISO), when the file has one. */
  readonly timestamp?: string;
}

export interface ReportedDecision {
  readonly scope: string;
  readonly value: string;
  readonly action: string;
  readonly status: string;
  readonly requiresApproval: boolean;
  readonly durationSeconds: number;
  readonly escalationLevel: number;
  /** Flow time of the threat that triggered it; null when the files have no timestamps. */
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  readonly extensions: number;
  readonly reason: DecisionReason;
}

export interface DecisionsSummary {
  readonly available: boolean;
  readonly note?: string;
  /** The simulation's safety switch (on: new enforcing decisions are `simulated`). */
  readonly simulation: boolean;
  /** `shipped defaults`, or the --policies file over them. */
  readonly policies: string;
  readonly allowlist: readonly string[];
  /** `flow timestamps` or `row order` (no timestamps: every threat at one instant). */
  readonly time: 'flow timestamps' | 'row order';
  readonly total: number;
  readonly byAction: Readonly<Record<string, number>>;
  readonly allowlistedDecisions: number;
  /** Threats from sources past the 100,000 tracked at once (not simulated). */
  readonly untrackedThreats: number;
  /** The first 1,000 decisions, in the order taken. */
  readonly decisions: readonly ReportedDecision[];
}

export interface DecisionsSimulation {
  observe(threat: SimulatedThreat): void;
  summary(): DecisionsSummary;
}

const REPORTED = 1_000;

export class PolicySimulation implements DecisionsSimulation {
  private readonly simulator: DecisionSimulator;
  private lastTimeMs = 0;
  private lastTimestamp: string | undefined;
  private timed = false;

  constructor(private readonly opts: { policies: PolicySet; policiesLabel: string; allowlist: readonly string[] }) {
    this.simulator = new DecisionSimulator({ policies: opts.policies, allowlist: opts.allowlist, maxRecorded: REPORTED });
  }

  /** The shipped defaults, the --policies file layered over them, loopback plus --allowlist. */
  static async open(args: { policiesFile?: string; policiesLabel?: string; allowlist?: readonly string[] }): Promise<PolicySimulation> {
    const defaults = defaultPolicies();
    const fromFile = args.policiesFile ? await loadPolicyFile(args.policiesFile, defaults) : [];
    return new PolicySimulation({
      policies: new PolicySet(layerPolicies(defaults, fromFile)),
      policiesLabel: args.policiesFile ? `shipped defaults + ${args.policiesLabel ?? args.policiesFile}` : 'shipped defaults',
      allowlist: [...LOOPBACK_NETWORKS, ...(args.allowlist ?? [])],
    });
  }

  observe(threat: SimulatedThreat): void {
    // A row without a time shares the latest time seen (row order); the simulator itself
    // never lets time run backwards, so out-of-order flows count at the latest time too.
    // Neighbouring flows often share a timestamp string: parse each one once.
    if (threat.timestamp !== undefined && threat.timestamp !== this.lastTimestamp) {
      const t = Date.parse(threat.timestamp);
      this.lastTimestamp = threat.timestamp;
      if (Number.isFinite(t)) {
        this.lastTimeMs = t;
        this.timed = true;
      }
    }
    this.simulator.observe({
      contract: threat.contract, flowId: threat.flowId ?? '', srcIp: threat.srcIp, attackClass: threat.attackClass, probability: threat.probability,
      modelVersion: threat.modelVersion, topFeatures: threat.topFeatures,
    }, this.lastTimeMs);
  }

  summary(): DecisionsSummary {
    const s = this.simulator;
    return {
      available: true, simulation: s.simulationOn, policies: this.opts.policiesLabel, allowlist: this.opts.allowlist,
      time: this.timed ? 'flow timestamps' : 'row order', total: s.total, byAction: { ...s.byAction },
      allowlistedDecisions: s.allowlistedDecisions, untrackedThreats: s.untracked, decisions: s.decisions.map((d) => this.reported(d)),
    };
  }

  private reported(d: SimulatedDecision): ReportedDecision {
    const at = (date: Date): string | null => (this.timed ? date.toISOString() : null);
    return {
      scope: d.scope, value: d.value, action: d.action, status: d.status, requiresApproval: d.requiresApproval, durationSeconds: d.durationSeconds,
      escalationLevel: d.escalationLevel, createdAt: at(d.createdAt), expiresAt: at(d.expiresAt), extensions: d.extensions, reason: d.reason,
    };
  }
}

/** `15 min`, `1 h`, `1 d 12 h`: how long a decision lasts, for people. */
export function formatDuration(seconds: number): string {
  if (seconds < 3600) return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
  const d = Math.floor(seconds / 86_400);
  const h = Math.round((seconds % 86_400) / 3600);
  return [d > 0 ? `${d} d` : '', h > 0 ? `${h} h` : ''].filter((x) => x !== '').join(' ');
}

/** The human report's decisions section. */
export function decisionsText(s: DecisionsSummary, limit = 10): string[] {
  if (!s.available) return [`decisions: ${s.note ?? 'n/a'}`];
  const actions = Object.entries(s.byAction).map(([a, n]) => `${a} ${n}`).join(', ');
  const lines = [`decisions it would take (${s.simulation ? 'simulation' : 'enforcing'}; ${s.policies}; time from ${s.time}): ${s.total}${actions ? ` (${actions})` : ''}`];
  for (const d of s.decisions.slice(0, limit)) {
    const r = d.reason;
    const why = [`${r.attackClass} p=${r.confidence.toFixed(3)}`, `${r.evidenceCount ?? '?'} flows`, d.extensions > 0 ? `extended ${d.extensions.toLocaleString('en-US')}x` : '', r.note].filter((x) => x);
    const top = r.topFeatures?.length ? `; top: ${r.topFeatures.slice(0, 3).map((f) => `${f.name} ${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(3)}`).join(', ')}` : '';
    lines.push(`  ${d.action} ${d.scope} ${d.value} for ${formatDuration(d.durationSeconds)} [${d.status}${d.requiresApproval ? ', needs approval' : ''}] (${why.join(', ')}${top})`);
  }
  if (s.total > limit) lines.push(`  ... ${s.total - limit} more (--json lists the first ${REPORTED})`);
  if (s.allowlistedDecisions > 0) lines.push(`  alert-only because the source is allowlisted: ${s.allowlistedDecisions}`);
  return lines;
}
