import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@vigil/observability';
import { AllowlistService } from '../allowlist/allowlist.service';
import { CLOCK, SELF_HEALING_CONFIG, type Clock } from '../config/self-healing.tokens';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { actionableNetwork, formatIpNetwork, parseIpNetwork, type IpNetwork } from '../network/ip-network.parser';
import { PolicyService } from '../policy/policy.service';
import { policyKey } from '../policy/policy.set';
import { EvidenceWindow } from '../safety/evidence.window';
import { evaluateThreat, type EvaluationInput, type Verdict } from '../safety/safety.engine';
import { SafetyStateService } from '../safety/safety-state.service';
import { type ThreatEvidence } from '../safety/threat-evidence';
import { DecisionEntity } from './decision.entity';
import { DecisionEnforcer } from './decision.enforcer';
import { DecisionRepository } from './decision.repository';
import { isEnforced } from './decision.transitions';

const TOUCH_INTERVAL_MS = 1_000;

export type ThreatOutcome = Verdict['kind'] | 'conflict-retried';

function targetOf(srcIp: string | undefined): IpNetwork | undefined {
  if (!srcIp) return undefined;
  try {
    return actionableNetwork(parseIpNetwork(srcIp));
  } catch {
    return undefined;
  }
}

/** Turns classified threats into decisions: policy, evidence, safety, then store, enforce, publish. */
@Injectable()
export class ThreatDecisionService {
  private readonly evidence = new EvidenceWindow();
  // A flood from one source passes the evidence check on every flow; touching its decision
  // once per second is enough and keeps the database out of the hot path.
  private readonly lastTouched = new Map<string, number>();

  constructor(
    @Inject(SELF_HEALING_CONFIG) private readonly config: SelfHealingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly policies: PolicyService,
    private readonly allowlist: AllowlistService,
    private readonly safety: SafetyStateService,
    private readonly repository: DecisionRepository,
    private readonly enforcer: DecisionEnforcer,
  ) {}

  async handleThreats(threats: readonly ThreatEvidence[]): Promise<Record<ThreatOutcome, number>> {
    const counts: Record<ThreatOutcome, number> = { skip: 0, create: 0, extend: 0, 'conflict-retried': 0 };
    for (const threat of threats) counts[await this.handle(threat)] += 1;
    return counts;
  }

  private async handle(evidence: ThreatEvidence, retried = false): Promise<ThreatOutcome> {
    const now = this.clock.now();
    const target = targetOf(evidence.srcIp);
    const policy = this.policies.resolve(evidence.contract, evidence.attackClass);
    const cheap: EvaluationInput = {
      evidence, policy, target, allowlisted: false, existing: undefined, priorOffences: 0, now,
      evidenceCount: target && policy ? this.evidence.record({
        key: `${formatIpNetwork(target)}|${policyKey(policy)}`, nowMs: now.getTime(), windowMs: policy.evidenceWindowSeconds * 1000, threshold: policy.evidenceCount,
      }) : 0,
      safety: { simulation: false, detectorHealthy: true, newActiveLastMinute: 0, ceilingPerMinute: 1 },
    };
    // Most threats stop here (too little evidence), before any database work.
    if (evaluateThreat(cheap).kind === 'skip' || !target) return 'skip';
    const value = formatIpNetwork(target);
    if (this.recentlyTouched(value, now.getTime())) return 'extend';
    const existing = await this.repository.findOpenByValue(value);
    const lookback = new Date(now.getTime() - this.config.escalationLookbackHours * 3600_000);
    const verdict = evaluateThreat({
      ...cheap,
      allowlisted: this.allowlist.match(target) !== undefined,
      existing: existing ?? undefined,
      priorOffences: existing ? 0 : await this.repository.countPriorOffences(value, lookback),
      safety: await this.safety.current(),
    });
    if (verdict.kind === 'create') {
      const created = await this.create(verdict, evidence);
      if (created === 'conflict' && !retried) return this.handle(evidence, true) as Promise<ThreatOutcome>;
      return created === 'conflict' ? 'conflict-retried' : 'create';
    }
    if (verdict.kind === 'extend' && existing) await this.extend(verdict, existing, evidence);
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
