import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Policy } from '@vigil/contracts';
import { LOGGER, type Logger } from '@vigil/observability';
import { actionableNetwork, evaluateThreat, formatIpNetwork, parseIpNetwork, type IpNetwork, type ThreatEvidence, type Verdict } from '@vigil/remediation';
import { AllowlistService } from '../allowlist/allowlist.service';
import { CLOCK, SELF_HEALING_CONFIG, type Clock } from '../config/self-healing.tokens';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { EvidenceRepository, evidenceGroupKey, evidencePolicyKey, type EvidenceRow } from '../evidence/evidence.repository';
import { SelfHealingMetrics } from '../metrics/self-healing.metrics';
import { PolicyService } from '../policy/policy.service';
import { SafetyStateService } from '../safety/safety-state.service';
import { DecisionEntity } from './decision.entity';
import { DecisionEnforcer } from './decision.enforcer';
import { DecisionRepository } from './decision.repository';
import { isEnforced } from './decision.transitions';

const TOUCH_INTERVAL_MS = 1_000;

export type ThreatOutcome = Verdict['kind'] | 'conflict-retried';

/** A threat that counts as evidence: it has a source to act on, a policy, and enough confidence. */
interface Candidate {
  readonly evidence: ThreatEvidence;
  readonly target: IpNetwork;
  readonly value: string;
  readonly policy: Policy;
  readonly group: string;
}

function targetOf(srcIp: string | undefined): IpNetwork | undefined {
  if (!srcIp) return undefined;
  try {
    return actionableNetwork(parseIpNetwork(srcIp));
  } catch {
    return undefined;
  }
}

/**
 * Turns classified threats into decisions: policy and confidence per threat, then durable
 * evidence for the whole batch (one insert, one windowed count), then one evaluation per
 * (source, policy) of the batch: safety, store, enforce, publish.
 */
@Injectable()
export class ThreatDecisionService {
  // A flood from one source passes the evidence check on every batch; touching its decision
  // once per second is enough and keeps decision writes out of the hot path.
  private readonly lastTouched = new Map<string, number>();

  constructor(
    @Inject(SELF_HEALING_CONFIG) private readonly config: SelfHealingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly policies: PolicyService,
    private readonly allowlist: AllowlistService,
    private readonly safety: SafetyStateService,
    private readonly repository: DecisionRepository,
    private readonly evidenceStore: EvidenceRepository,
    private readonly enforcer: DecisionEnforcer,
    private readonly metrics: SelfHealingMetrics,
  ) {}

  async handleThreats(threats: readonly ThreatEvidence[]): Promise<Record<ThreatOutcome, number>> {
    const counts: Record<ThreatOutcome, number> = { skip: 0, create: 0, extend: 0, 'conflict-retried': 0 };
    const now = this.clock.now();
    const candidates = threats.map((t) => this.candidate(t)).filter((c): c is Candidate => c !== undefined);
    counts.skip += threats.length - candidates.length;
    this.metrics.evidenceSeen('ignored', threats.length - candidates.length);
    const evidenceCounts = await this.recordEvidence(candidates, now);
    // The newest threat of each (source, policy) speaks for the batch.
    const latest = new Map<string, Candidate>();
    for (const c of candidates) latest.set(c.group, c);
    for (const c of latest.values()) {
      const outcome = await this.evaluate(c, evidenceCounts.get(c.group) ?? 0, false);
      counts[outcome] += candidates.filter((other) => other.group === c.group).length;
    }
    return counts;
  }

  private candidate(evidence: ThreatEvidence): Candidate | undefined {
    const target = targetOf(evidence.srcIp);
    const policy = this.policies.resolve(evidence.contract, evidence.attackClass);
    if (!target || !policy || evidence.probability < policy.minConfidence) return undefined;
    const value = formatIpNetwork(target);
    return { evidence, target, value, policy, group: evidenceGroupKey(value, evidencePolicyKey(policy)) };
  }

  private async recordEvidence(candidates: readonly Candidate[], now: Date): Promise<Map<string, number>> {
    const rows: EvidenceRow[] = candidates.map((c) => ({
      flowId: c.evidence.flowId, source: c.value, policyKey: evidencePolicyKey(c.policy), contract: c.evidence.contract,
      attackClass: c.evidence.attackClass, confidence: c.evidence.probability, seenAt: now,
    }));
    const inserted = await this.evidenceStore.record(rows);
    this.metrics.evidenceSeen('recorded', inserted);
    this.metrics.evidenceSeen('duplicate', rows.length - inserted);
    const questions = new Map(candidates.map((c) => [c.group, {
      source: c.value, policyKey: evidencePolicyKey(c.policy), cap: c.policy.evidenceCount,
      since: new Date(now.getTime() - c.policy.evidenceWindowSeconds * 1000),
    }]));
    return this.evidenceStore.count([...questions.values()]);
  }

  private async evaluate(c: Candidate, evidenceCount: number, retried: boolean): Promise<ThreatOutcome> {
    if (evidenceCount < c.policy.evidenceCount) return 'skip';
    const now = this.clock.now();
    if (!retried && this.recentlyTouched(c.value, now.getTime())) return 'extend';
    const existing = await this.repository.findOpenByValue(c.value);
    const lookback = new Date(now.getTime() - this.config.escalationLookbackHours * 3600_000);
    const verdict = evaluateThreat({
      evidence: c.evidence, policy: c.policy, target: c.target, evidenceCount, now,
      allowlisted: this.allowlist.match(c.target) !== undefined,
      existing: existing ?? undefined,
      priorOffences: existing ? 0 : await this.repository.countPriorOffences(c.value, lookback),
      safety: await this.safety.current(),
    });
    if (verdict.kind === 'create') {
      const created = await this.create(verdict, c.evidence);
      if (created === 'conflict' && !retried) return this.evaluate(c, evidenceCount, true);
      return created === 'conflict' ? 'conflict-retried' : 'create';
    }
    if (verdict.kind === 'extend' && existing) await this.extend(verdict, existing, c.evidence);
    return verdict.kind;
  }

  private recentlyTouched(value: string, nowMs: number): boolean {
    const last = this.lastTouched.get(value);
    if (last !== undefined && nowMs - last < TOUCH_INTERVAL_MS) return true;
    this.lastTouched.delete(value);
    this.lastTouched.set(value, nowMs);
    if (this.lastTouched.size > 10_000) this.lastTouched.delete(this.lastTouched.keys().next().value ?? '');
    return false;
  }

  private async create(verdict: Extract<Verdict, { kind: 'create' }>, evidence: ThreatEvidence): Promise<'created' | 'conflict'> {
    const { plan } = verdict;
    const now = this.clock.now();
    if (verdict.allowlisted) this.logger.warn({ value: plan.value, attackClass: evidence.attackClass }, 'threat from an allowlisted source: alert only, no action');
    if (verdict.tripsCeiling) await this.safety.tripCeiling({ value: plan.value, attackClass: evidence.attackClass });
    const decision = Object.assign(new DecisionEntity(), {
      id: randomUUID(), version: 1, scope: plan.scope, value: plan.value, action: plan.action, origin: 'auto' as const, status: plan.status,
      reason: plan.reason, durationSeconds: plan.durationSeconds, escalationLevel: plan.escalationLevel, createdAt: now, updatedAt: now,
      expiresAt: plan.expiresAt, flowIds: [evidence.flowId], alertIds: [], lastError: null,
    });
    const change = await this.repository.insert({ decision, actor: 'policy', reason: plan.statusReason });
    if (change === 'conflict') return 'conflict';
    await this.enforcer.settle({ change, kind: 'created', wasEnforced: false });
    return 'created';
  }

  private async extend(verdict: Extract<Verdict, { kind: 'extend' }>, existing: DecisionEntity, evidence: ThreatEvidence): Promise<void> {
    if (verdict.tripsCeiling) await this.safety.tripCeiling({ value: existing.value, attackClass: evidence.attackClass });
    const promote = verdict.promoteToActive && !verdict.tripsCeiling;
    const change = await this.repository.change({
      id: existing.id,
      actor: 'policy',
      reason: promote ? 'fresh evidence with enforcement allowed' : `fresh evidence: ${evidence.attackClass}`,
      at: this.clock.now(),
      ...(promote ? { to: 'active' as const } : {}),
      patch: { expiresAt: verdict.expiresAt, action: verdict.action },
      addFlowId: evidence.flowId,
    });
    await this.enforcer.settle({ change, kind: promote ? 'status-changed' : 'extended', wasEnforced: isEnforced(existing) });
  }
}
