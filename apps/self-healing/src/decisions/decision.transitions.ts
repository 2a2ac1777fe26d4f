import { type Decision, type DecisionStatus } from '@vigil/contracts';
import { SelfHealingError, SELF_HEALING_ERROR_CODES } from '../self-healing.errors';
import { DecisionEntity } from './decision.entity';

/** Allowed status changes; expired and revoked are final. */
const NEXT: Readonly<Record<DecisionStatus, readonly DecisionStatus[]>> = {
  simulated: ['active', 'expired', 'revoked'],
  'pending-approval': ['active', 'simulated', 'expired', 'revoked'],
  active: ['expired', 'revoked', 'failed'],
  failed: ['active', 'expired', 'revoked', 'failed'],
  expired: [],
  revoked: [],
};

export function canTransition(from: DecisionStatus, to: DecisionStatus): boolean {
  return NEXT[from].includes(to);
}

export function assertTransition(decision: Pick<DecisionEntity, 'id' | 'status'>, to: DecisionStatus): void {
  if (canTransition(decision.status, to)) return;
  throw new SelfHealingError({
    code: SELF_HEALING_ERROR_CODES.InvalidTransition,
    message: `decision ${decision.id} is ${decision.status}; it cannot become ${to}`,
    kind: 'conflict',
    details: { id: decision.id, from: decision.status, to },
  });
}

/** An enforcing decision the executors must hold in place. */
export function isEnforced(decision: Pick<DecisionEntity, 'status' | 'action'>): boolean {
  return decision.status === 'active' && decision.action !== 'alert';
}

export function toDecision(entity: DecisionEntity): Decision {
  return {
    id: entity.id,
    version: entity.version,
    scope: entity.scope,
    value: entity.value,
    action: entity.action,
    origin: entity.origin,
    status: entity.status,
    reason: entity.reason,
    durationSeconds: entity.durationSeconds,
    escalationLevel: entity.escalationLevel,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
    expiresAt: entity.expiresAt.toISOString(),
    flowIds: entity.flowIds,
    alertIds: entity.alertIds,
    ...(entity.lastError === null ? {} : { lastError: entity.lastError }),
  };
}

/** The wire form back as an entity (the node agent receives decisions, it does not store them). */
export function fromDecision(decision: Decision): DecisionEntity {
  return Object.assign(new DecisionEntity(), {
    ...decision,
    createdAt: new Date(decision.createdAt),
    updatedAt: new Date(decision.updatedAt),
    expiresAt: new Date(decision.expiresAt),
    lastError: decision.lastError ?? null,
  });
}
