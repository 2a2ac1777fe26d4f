import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Decision, type DecisionAuditEntry, type DecisionKind } from '@vigil/contracts';
import { formatIpNetwork, isSingleAddress, networksOverlap, parseIpNetwork } from '@vigil/remediation';
import { AllowlistService } from '../allowlist/allowlist.service';
import { CLOCK, type Clock } from '../config/self-healing.tokens';
import { SafetyStateService } from '../safety/safety-state.service';
import { SelfHealingError, SELF_HEALING_ERROR_CODES } from '../self-healing.errors';
import { formatLabelSelector, parseLabelSelector } from '../executors/kubernetes.policy';
import { DecisionEntity } from './decision.entity';
import { DecisionEnforcer } from './decision.enforcer';
import { DecisionRepository, notFound, type DecisionFilter } from './decision.repository';
import { isEnforced, toDecision } from './decision.transitions';

export interface ManualDecisionArgs {
  readonly scope: 'ip' | 'range' | 'pod';
  readonly value: string;
  readonly action: DecisionKind;
  readonly durationSeconds: number;
  readonly origin: 'manual' | 'api';
  readonly actor: string;
  readonly reason: string;
}

/** What people (through the gateway or CLI) do to decisions; every change is audited with the actor. */
@Injectable()
export class DecisionCommandsService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repository: DecisionRepository,
    private readonly enforcer: DecisionEnforcer,
    private readonly allowlist: AllowlistService,
    private readonly safety: SafetyStateService,
  ) {}

  async list(filter: DecisionFilter): Promise<Decision[]> {
    return (await this.repository.list(filter)).map(toDecision);
  }

  async get(id: string): Promise<{ decision: Decision; audit: DecisionAuditEntry[] }> {
    const decision = await this.repository.findById(id);
    if (!decision) throw notFound(id);
    const audit = (await this.repository.auditOf(id)).map((a) => ({
      at: a.at.toISOString(), fromStatus: a.fromStatus, toStatus: a.toStatus, actor: a.actor, reason: a.reason, ...(a.details ? { details: a.details } : {}),
    }));
    return { decision: toDecision(decision), audit };
  }

  /** A manual decision; refused on an allowlisted target (nothing overrides the allowlist silently). */
  async create(args: ManualDecisionArgs): Promise<Decision> {
    const value = args.scope === 'pod' ? podValue(args) : this.addressValue(args);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + args.durationSeconds * 1000);
    const existing = await this.repository.findOpenByValue(value);
    if (existing) {
      const change = await this.repository.change({
        id: existing.id, actor: args.actor, reason: `manual: ${args.reason}`, at: now,
        patch: { action: args.action, durationSeconds: args.durationSeconds, expiresAt: expiresAt > existing.expiresAt ? expiresAt : existing.expiresAt },
      });
      return toDecision(await this.enforcer.settle({ change, kind: 'extended', wasEnforced: isEnforced(existing) }));
    }
    const simulated = args.action !== 'alert' && (await this.safety.getSimulation()).enabled;
    const decision = Object.assign(new DecisionEntity(), {
      id: randomUUID(), version: 1, scope: args.scope, value, action: args.action, origin: args.origin, status: simulated ? 'simulated' : 'active',
      reason: { attackClass: 'manual', confidence: 1, note: args.reason }, durationSeconds: args.durationSeconds, escalationLevel: 0,
      createdAt: now, updatedAt: now, expiresAt, flowIds: [], alertIds: [], lastError: null,
    });
    const change = await this.repository.insert({ decision, actor: args.actor, reason: simulated ? `manual (simulation mode is on): ${args.reason}` : `manual: ${args.reason}` });
    if (change === 'conflict') return this.create(args);
    return toDecision(await this.enforcer.settle({ change, kind: 'created', wasEnforced: false }));
  }

  /** The canonical address or network of an ip/range decision, refused when allowlisted. */
  private addressValue(args: ManualDecisionArgs): string {
    const network = parseIpNetwork(args.value);
    if ((args.scope === 'ip') !== isSingleAddress(network)) {
      throw new SelfHealingError({ code: SELF_HEALING_ERROR_CODES.InvalidRequest, message: `scope ${args.scope} does not fit ${args.value}`, kind: 'invalid-input', details: { scope: args.scope, value: args.value } });
    }
    const value = formatIpNetwork(network);
    const allowed = this.allowlist.match(network);
    if (allowed && args.action !== 'alert') {
      throw new SelfHealingError({ code: SELF_HEALING_ERROR_CODES.Allowlisted, message: `${value} is allowlisted (${allowed.cidr}, ${allowed.source}); remove it from the allowlist first`, kind: 'forbidden', details: { value, allowlisted: allowed.cidr } });
    }
    return value;
  }

  /** A pending decision goes active for its full duration from now (simulated while simulation is on). */
  async approve(args: { id: string; actor: string; reason: string }): Promise<Decision> {
    const current = await this.mustFind(args.id);
    const now = this.clock.now();
    const to = (await this.safety.getSimulation()).enabled ? 'simulated' : 'active';
    if (current.status !== 'pending-approval') throw this.notPending(current);
    const change = await this.repository.change({
      id: args.id, to, actor: args.actor, reason: `approved: ${args.reason}`, at: now,
      patch: { expiresAt: new Date(now.getTime() + current.durationSeconds * 1000) },
    });
    return toDecision(await this.enforcer.settle({ change, kind: 'status-changed', wasEnforced: false }));
  }

  async reject(args: { id: string; actor: string; reason: string }): Promise<Decision> {
    const current = await this.mustFind(args.id);
    if (current.status !== 'pending-approval') throw this.notPending(current);
    const change = await this.repository.change({ id: args.id, to: 'revoked', actor: args.actor, reason: `rejected: ${args.reason}`, at: this.clock.now() });
    return toDecision(await this.enforcer.settle({ change, kind: 'status-changed', wasEnforced: false }));
  }

  /** Lifts a decision now (an unban), whatever its open status. */
  async revoke(args: { id: string; actor: string; reason: string }): Promise<Decision> {
    const current = await this.mustFind(args.id);
    const change = await this.repository.change({ id: args.id, to: 'revoked', actor: args.actor, reason: `revoked: ${args.reason}`, at: this.clock.now() });
    return toDecision(await this.enforcer.settle({ change, kind: 'status-changed', wasEnforced: isEnforced(current) || current.status === 'failed' }));
  }

  /** Revokes every open decision overlapping a network just allowlisted: nothing may act on it any more. */
  async revokeCovered(args: { cidr: string; actor: string }): Promise<Decision[]> {
    const network = parseIpNetwork(args.cidr);
    const covered = (await this.repository.listOpen()).filter((d) => d.scope !== 'pod' && networksOverlap(network, parseIpNetwork(d.value)));
    const revoked: Decision[] = [];
    for (const d of covered) revoked.push(await this.revoke({ id: d.id, actor: args.actor, reason: `allowlisted ${args.cidr}` }));
    return revoked;
  }

  private async mustFind(id: string): Promise<DecisionEntity> {
    const decision = await this.repository.findById(id);
    if (!decision) throw notFound(id);
    return decision;
  }

  private notPending(decision: DecisionEntity): SelfHealingError {
    return new SelfHealingError({ code: SELF_HEALING_ERROR_CODES.InvalidTransition, message: `decision ${decision.id} is ${decision.status}, not pending-approval`, kind: 'conflict', details: { id: decision.id, status: decision.status } });
  }
}

/**
 * The canonical label selector of a pod decision (syntax checked, empty refused). Throttling
 * has no NetworkPolicy form and no executor enforces it on pods, so it is refused here rather
 * than recorded as active and enforced by nothing.
 */
function podValue(args: ManualDecisionArgs): string {
  if (args.action === 'throttle') {
    throw new SelfHealingError({ code: SELF_HEALING_ERROR_CODES.InvalidRequest, message: 'a pod decision isolates, bans or alerts; throttle has no NetworkPolicy form', kind: 'invalid-input', details: { scope: args.scope, action: args.action } });
  }
  return formatLabelSelector(parseLabelSelector(args.value));
}
