import { type DecisionKind, type DecisionReason, type DecisionStatus, type Policy } from '@vigil/contracts';
import { formatIpNetwork, isSingleAddress, type IpNetwork } from '../network/ip-network.parser';
import { type ThreatEvidence } from './threat-evidence';

/** The open decision already held on the same value, if any. */
export interface OpenDecisionView {
  readonly id: string;
  readonly status: DecisionStatus;
  readonly action: DecisionKind;
  readonly expiresAt: Date;
  readonly durationSeconds: number;
}

export interface SafetyState {
  readonly simulation: boolean;
  readonly detectorHealthy: boolean;
  /** New decisions that went active in the last minute, and the most allowed. */
  readonly newActiveLastMinute: number;
  readonly ceilingPerMinute: number;
}

export interface EvaluationInput {
  readonly evidence: ThreatEvidence;
  readonly policy: Policy | undefined;
  /** The network to act on (an IPv6 source already widened to its /64); undefined when the source has no usable IP. */
  readonly target: IpNetwork | undefined;
  readonly allowlisted: boolean;
  /** Threats from the target inside the policy's window, this one included. */
  readonly evidenceCount: number;
  readonly existing: OpenDecisionView | undefined;
  /** Earlier decisions against the target inside the escalation lookback (revoked ones excluded). */
  readonly priorOffences: number;
  readonly safety: SafetyState;
  readonly now: Date;
}

export interface DecisionPlan {
  readonly scope: 'ip' | 'range';
  readonly value: string;
  readonly action: DecisionKind;
  readonly status: DecisionStatus;
  readonly durationSeconds: number;
  readonly escalationLevel: number;
  readonly expiresAt: Date;
  readonly reason: DecisionReason;
  /** Why the status is what it is, for the audit trail. */
  readonly statusReason: string;
}

export type SkipReason = 'no-source-ip' | 'no-policy' | 'below-confidence' | 'insufficient-evidence';

export type Verdict =
  | { readonly kind: 'skip'; readonly why: SkipReason }
  | { readonly kind: 'create'; readonly plan: DecisionPlan; readonly allowlisted: boolean; readonly tripsCeiling: boolean }
  | {
      readonly kind: 'extend';
      readonly decisionId: string;
      readonly expiresAt: Date;
      readonly action: DecisionKind;
      /** A simulated decision whose fresh evidence would now be enforced becomes active. */
      readonly promoteToActive: boolean;
      readonly tripsCeiling: boolean;
    };

const STRENGTH: Readonly<Record<DecisionKind, number>> = { alert: 0, throttle: 1, ban: 2, isolate: 3 };

/** Escalated duration: base × factor^level, never above the cap (nor below the base). */
export function escalatedDuration(policy: Policy, level: number): number {
  const cap = Math.max(policy.maxDurationSeconds, policy.durationSeconds);
  return Math.min(cap, Math.round(policy.durationSeconds * policy.escalationFactor ** level));
}

/**
 * The policy and safety rules, as one pure function of the evidence and the current state.
 * Order matters: nothing without a source IP, a policy, enough confidence and enough
 * evidence; an allowlisted target only ever gets an alert; an open decision is extended,
 * never duplicated; a new enforcing decision is simulated when simulation is on, the
 * detector is down or the per-minute ceiling is reached (which also trips simulation on).
 */
export function evaluateThreat(input: EvaluationInput): Verdict {
  const { evidence, policy, target } = input;
  if (!target) return { kind: 'skip', why: 'no-source-ip' };
  if (!policy) return { kind: 'skip', why: 'no-policy' };
  if (evidence.probability < policy.minConfidence) return { kind: 'skip', why: 'below-confidence' };
  if (input.evidenceCount < policy.evidenceCount) return { kind: 'skip', why: 'insufficient-evidence' };

  const action: DecisionKind = input.allowlisted ? 'alert' : policy.action;
  const level = input.priorOffences;
  const durationSeconds = escalatedDuration(policy, level);
  const gate = enforcementGate(action, policy, input.safety);

  if (input.existing) return extend(input.existing, { action, gate, now: input.now });
  const reason: DecisionReason = {
    contract: evidence.contract,
    attackClass: evidence.attackClass,
    confidence: evidence.probability,
    ...(evidence.modelVersion === undefined ? {} : { modelVersion: evidence.modelVersion }),
    ...(evidence.topFeatures === undefined ? {} : { topFeatures: evidence.topFeatures.slice(0, 32).map((f) => ({ name: f.name, weight: f.weight })) }),
    evidenceCount: input.evidenceCount,
    ...(input.allowlisted ? { note: 'source is allowlisted: alert only' } : {}),
  };
  const plan: DecisionPlan = {
    scope: isSingleAddress(target) ? 'ip' : 'range',
    value: formatIpNetwork(target),
    action,
    status: gate.status,
    durationSeconds,
    escalationLevel: level,
    expiresAt: new Date(input.now.getTime() + durationSeconds * 1000),
    reason,
    statusReason: input.allowlisted ? 'allowlisted source: alert only' : gate.why,
  };
  return { kind: 'create', plan, allowlisted: input.allowlisted, tripsCeiling: gate.tripsCeiling };
}

interface Gate {
  readonly status: DecisionStatus;
  readonly why: string;
  readonly tripsCeiling: boolean;
}

function enforcementGate(action: DecisionKind, policy: Policy, safety: SafetyState): Gate {
  // An alert touches no traffic, so no safety switch holds it back.
  if (action === 'alert') return { status: 'active', why: 'alert raised', tripsCeiling: false };
  if (safety.simulation) return { status: 'simulated', why: 'simulation mode is on', tripsCeiling: false };
  if (!safety.detectorHealthy) return { status: 'simulated', why: 'detector outage: no new enforcement', tripsCeiling: false };
  if (policy.requiresApproval) return { status: 'pending-approval', why: 'policy requires approval', tripsCeiling: false };
  if (safety.newActiveLastMinute >= safety.ceilingPerMinute) {
    return { status: 'simulated', why: `ceiling of ${safety.ceilingPerMinute} new decisions per minute reached`, tripsCeiling: true };
  }
  return { status: 'active', why: 'policy matched', tripsCeiling: false };
}

function extend(existing: OpenDecisionView, args: { action: DecisionKind; gate: Gate; now: Date }): Verdict {
  const renewed = new Date(args.now.getTime() + existing.durationSeconds * 1000);
  const expiresAt = renewed > existing.expiresAt ? renewed : existing.expiresAt;
  // Throttle may harden to ban (both passed the gate), but an alert-only record never turns
  // into enforcement here: it may be an allowlisted source, and the gate was not run for it.
  const upgrade = existing.action !== 'alert' && STRENGTH[args.action] > STRENGTH[existing.action];
  const action = upgrade ? args.action : existing.action;
  const promoteToActive = existing.status === 'simulated' && existing.action !== 'alert' && args.gate.status === 'active';
  return {
    kind: 'extend',
    decisionId: existing.id,
    expiresAt,
    action,
    promoteToActive,
    tripsCeiling: existing.status === 'simulated' && args.gate.tripsCeiling,
  };
}
