import { type DecisionKind, type DecisionReason, type DecisionStatus, type Policy } from '@vigil/contracts';
import { EvidenceWindow } from '../evidence/evidence.window';
import { actionableNetwork, formatIpNetwork, networksOverlap, parseIpNetwork, type IpNetwork } from '../network/ip-network.parser';
import { type PolicySet, policyKey } from '../policy/policy.set';
import { evaluateThreat, type SafetyState, type Verdict } from '../safety/safety.engine';
import { type ThreatEvidence } from '../safety/threat-evidence';

/** One decision the simulation took: its status when taken (or promoted), its latest expiry and action. */
export interface SimulatedDecision {
  readonly scope: 'ip' | 'range';
  readonly value: string;
  action: DecisionKind;
  status: DecisionStatus;
  readonly statusReason: string;
  readonly durationSeconds: number;
  readonly escalationLevel: number;
  readonly requiresApproval: boolean;
  readonly createdAt: Date;
  expiresAt: Date;
  readonly reason: DecisionReason;
  /** Later threats that extended this decision instead of creating a second one. */
  extensions: number;
}

export interface DecisionSimulatorOptions {
  readonly policies: PolicySet;
  /** CIDRs nothing may act on (a target overlapping one gets an alert only). */
  readonly allowlist: readonly string[];
  /** Defaults: simulation on, detector healthy, a ceiling of 20 new activations per minute. */
  readonly safety?: Partial<Pick<SafetyState, 'simulation' | 'detectorHealthy' | 'ceilingPerMinute'>>;
  /** Earlier decisions inside this lookback escalate the duration; default 30 days. */
  readonly escalationLookbackSeconds?: number;
  /** Values (sources) tracked at once; threats from further sources are counted as untracked. */
  readonly maxSources?: number;
  /** Decisions kept for `decisions` (the counts cover all); default 10,000. */
  readonly maxRecorded?: number;
}

interface Source {
  readonly target: IpNetwork;
  readonly value: string;
  readonly allowlisted: boolean;
  /** Evidence-window key per policy. */
  readonly keys: Map<Policy, string>;
}

interface Candidate extends Source {
  readonly evidence: ThreatEvidence;
  readonly policy: Policy;
}

const DAY_S = 24 * 3600;
const SWEEP_EVERY = 10_000;
const TOUCH_INTERVAL_MS = 1_000;

/**
 * Self-healing's decision loop in memory, for offline what-if runs: the same engine
 * (`evaluateThreat`) over the same policies, with evidence windows, open decisions (duplicate
 * evidence extends them), expiry, escalation by earlier decisions, the allowlist and the
 * per-minute ceiling kept here instead of in Postgres. Time is the caller's (flow time);
 * it never runs backwards: a threat older than one already seen counts at the latest time.
 */
export class DecisionSimulator {
  private readonly window: EvidenceWindow;
  private readonly allowlist: IpNetwork[];
  private readonly open = new Map<string, SimulatedDecision>();
  /** Creation times of closed decisions per value (the escalation's prior offences). */
  private readonly closed = new Map<string, number[]>();
  private readonly activations: number[] = [];
  /** When each value was last evaluated (the service's once-a-second touch). */
  private readonly touched = new Map<string, number>();
  // A file repeats few sources and classes over millions of rows: parse and resolve each once.
  private readonly sources = new Map<string, Source | null>();
  private readonly resolved = new Map<string, Map<string, Policy | null>>();
  private readonly taken: SimulatedDecision[] = [];
  private readonly safety: { simulation: boolean; detectorHealthy: boolean; ceilingPerMinute: number };
  private readonly lookbackMs: number;
  private readonly maxSources: number;
  private clockMs = Number.NEGATIVE_INFINITY;
  private observed = 0;
  /** Threats not simulated because maxSources values were already tracked. */
  untracked = 0;
  /** Decisions that became alert-only because the source is allowlisted. */
  allowlistedDecisions = 0;
  ceilingTrips = 0;
  /** Decisions taken, and per action (after any throttle → ban hardening). */
  total = 0;
  readonly byAction: Partial<Record<DecisionKind, number>> = {};

  constructor(private readonly opts: DecisionSimulatorOptions) {
    this.allowlist = opts.allowlist.map((cidr) => parseIpNetwork(cidr));
    this.safety = { simulation: true, detectorHealthy: true, ceilingPerMinute: 20, ...opts.safety };
    this.lookbackMs = (opts.escalationLookbackSeconds ?? 30 * DAY_S) * 1000;
    this.maxSources = opts.maxSources ?? 100_000;
    this.window = new EvidenceWindow(this.maxSources);
  }

  /** Every decision taken so far, in the order taken (extensions update them in place). */
  get decisions(): readonly SimulatedDecision[] {
    return this.taken;
  }

  get simulationOn(): boolean {
    return this.safety.simulation;
  }

  /** Evaluates one threat seen at `atMs` (flow time, ms) and applies the verdict. */
  observe(evidence: ThreatEvidence, atMs: number): Verdict['kind'] {
    this.clockMs = Math.max(this.clockMs, atMs);
    if (++this.observed % SWEEP_EVERY === 0) this.sweep();
    const c = this.candidate(evidence);
    if (!c) return 'skip';
    if (!this.open.has(c.value) && !this.closed.has(c.value) && this.open.size + this.closed.size >= this.maxSources) {
      this.untracked++;
      return 'skip';
    }
    let key = c.keys.get(c.policy);
    if (key === undefined) c.keys.set(c.policy, (key = `${c.value}\u0000${policyKey(c.policy)}`));
    const evidenceCount = this.window.record({
      key, atMs: this.clockMs, windowMs: c.policy.evidenceWindowSeconds * 1000, cap: c.policy.evidenceCount,
    });
    if (evidenceCount < c.policy.evidenceCount) return 'skip';
    // As self-healing does: a value evaluated less than a second ago takes the threat as
    // evidence without another evaluation (a flood costs one evaluation per second per source).
    const open = this.open.get(c.value);
    const touched = this.touched.get(c.value);
    if (open && open.expiresAt.getTime() > this.clockMs && touched !== undefined && this.clockMs - touched < TOUCH_INTERVAL_MS) {
      open.extensions++;
      return 'extend';
    }
    this.touched.set(c.value, this.clockMs);
    return this.evaluate(c, evidenceCount);
  }

  private evaluate(c: Candidate, evidenceCount: number): Verdict['kind'] {
    this.expire(c.value);
    const existing = this.open.get(c.value);
    const verdict = evaluateThreat({
      evidence: c.evidence, policy: c.policy, target: c.target, allowlisted: c.allowlisted, evidenceCount, now: new Date(this.clockMs),
      existing: existing ? { id: existing.value, status: existing.status, action: existing.action, expiresAt: existing.expiresAt, durationSeconds: existing.durationSeconds } : undefined,
      priorOffences: existing ? 0 : this.priorOffences(c.value),
      safety: { ...this.safety, newActiveLastMinute: this.activationsLastMinute() },
    });
    if (verdict.kind === 'create') this.create(verdict, c);
    if (verdict.kind === 'extend' && existing) this.extend(verdict, existing);
    return verdict.kind;
  }

  private candidate(evidence: ThreatEvidence): Candidate | undefined {
    const source = evidence.srcIp ? this.source(evidence.srcIp) : undefined;
    const policy = this.policy(evidence);
    if (!source || !policy || evidence.probability < policy.minConfidence) return undefined;
    return { evidence, policy, ...source };
  }

  private source(srcIp: string): Source | undefined {
    let source = this.sources.get(srcIp);
    if (source === undefined) {
      const target = targetOf(srcIp);
      source = target ? { target, value: formatIpNetwork(target), allowlisted: this.allowlist.some((net) => networksOverlap(net, target)), keys: new Map() } : null;
      if (this.sources.size >= this.maxSources) this.sources.clear();
      this.sources.set(srcIp, source);
    }
    return source ?? undefined;
  }

  private policy(evidence: ThreatEvidence): Policy | undefined {
    let byClass = this.resolved.get(evidence.contract);
    if (!byClass) this.resolved.set(evidence.contract, (byClass = new Map()));
    let policy = byClass.get(evidence.attackClass);
    if (policy === undefined) {
      policy = this.opts.policies.resolve(evidence.contract, evidence.attackClass) ?? null;
      if (byClass.size >= 10_000) byClass.clear();
      byClass.set(evidence.attackClass, policy);
    }
    return policy ?? undefined;
  }

  private create(verdict: Extract<Verdict, { kind: 'create' }>, c: Candidate): void {
    const { plan } = verdict;
    if (verdict.allowlisted) this.allowlistedDecisions++;
    if (verdict.tripsCeiling) this.tripCeiling();
    const decision: SimulatedDecision = {
      scope: plan.scope, value: plan.value, action: plan.action, status: plan.status, statusReason: plan.statusReason,
      durationSeconds: plan.durationSeconds, escalationLevel: plan.escalationLevel, requiresApproval: c.policy.requiresApproval,
      createdAt: new Date(this.clockMs), expiresAt: plan.expiresAt, reason: plan.reason, extensions: 0,
    };
    if (plan.status === 'active') this.activations.push(this.clockMs);
    this.open.set(plan.value, decision);
    this.total++;
    this.byAction[plan.action] = (this.byAction[plan.action] ?? 0) + 1;
    if (this.taken.length < (this.opts.maxRecorded ?? 10_000)) this.taken.push(decision);
  }

  private extend(verdict: Extract<Verdict, { kind: 'extend' }>, decision: SimulatedDecision): void {
    if (verdict.tripsCeiling) this.tripCeiling();
    decision.expiresAt = verdict.expiresAt;
    if (verdict.action !== decision.action) {
      this.byAction[decision.action] = (this.byAction[decision.action] ?? 1) - 1;
      this.byAction[verdict.action] = (this.byAction[verdict.action] ?? 0) + 1;
      decision.action = verdict.action;
    }
    decision.extensions++;
    if (verdict.promoteToActive && !verdict.tripsCeiling) {
      decision.status = 'active';
      this.activations.push(this.clockMs);
    }
  }

  /** As self-healing's ceiling does: simulation switches on and stays on. */
  private tripCeiling(): void {
    this.ceilingTrips++;
    this.safety.simulation = true;
  }

  private expire(value: string): void {
    const decision = this.open.get(value);
    if (!decision || decision.expiresAt.getTime() > this.clockMs) return;
    this.open.delete(value);
    this.touched.delete(value);
    const times = this.closed.get(value) ?? [];
    times.push(decision.createdAt.getTime());
    this.closed.set(value, times);
  }

  private priorOffences(value: string): number {
    const since = this.clockMs - this.lookbackMs;
    return (this.closed.get(value) ?? []).filter((t) => t > since).length;
  }

  private activationsLastMinute(): number {
    const since = this.clockMs - 60_000;
    while (this.activations.length > 0 && this.activations[0] <= since) this.activations.shift();
    return this.activations.length;
  }

  /** Closes expired decisions and forgets offences past the lookback, so memory follows live sources only. */
  private sweep(): void {
    for (const value of [...this.open.keys()]) this.expire(value);
    const since = this.clockMs - this.lookbackMs;
    for (const [value, times] of this.closed) {
      const kept = times.filter((t) => t > since);
      if (kept.length === 0) this.closed.delete(value);
      else this.closed.set(value, kept);
    }
  }
}

/** The network a source is acted on as (IPv6 as its /64); undefined when it is not an address. */
function targetOf(srcIp: string): IpNetwork | undefined {
  try {
    return actionableNetwork(parseIpNetwork(srcIp));
  } catch {
    return undefined;
  }
}
