import { Inject, Injectable } from '@nestjs/common';
import { OPEN_DECISION_STATUSES, type DecisionKind, type DecisionStatus } from '@vigil/contracts';
import { DataSource, In, LessThanOrEqual, MoreThan, type EntityManager } from 'typeorm';
import { SelfHealingError, SELF_HEALING_ERROR_CODES } from '../self-healing.errors';
import { DecisionAuditEntity, DecisionEntity } from './decision.entity';
import { assertTransition } from './decision.transitions';

export interface DecisionChange {
  readonly decision: DecisionEntity;
  readonly audit: DecisionAuditEntity;
}

export interface ChangeArgs {
  readonly id: string;
  readonly actor: string;
  readonly reason: string;
  readonly at: Date;
  readonly to?: DecisionStatus;
  readonly patch?: Partial<Pick<DecisionEntity, 'expiresAt' | 'action' | 'lastError' | 'durationSeconds'>>;
  readonly addFlowId?: string;
  readonly details?: Record<string, unknown>;
}

export interface DecisionFilter {
  readonly status?: readonly DecisionStatus[];
  readonly action?: DecisionKind;
  readonly value?: string;
  readonly limit: number;
  readonly offset: number;
}

const UNIQUE_VIOLATION = '23505';
const MAX_FLOW_IDS = 50;

/** Decisions and their audit trail; every status change writes its audit row in the same transaction. */
@Injectable()
export class DecisionRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  findById(id: string): Promise<DecisionEntity | null> {
    return this.ds.getRepository(DecisionEntity).findOneBy({ id });
  }

  findOpenByValue(value: string): Promise<DecisionEntity | null> {
    return this.ds.getRepository(DecisionEntity).findOneBy({ value, status: In([...OPEN_DECISION_STATUSES]) });
  }

  /** Inserts a new decision; `conflict` when another open decision on the value won the race. */
  async insert(args: { decision: DecisionEntity; actor: string; reason: string }): Promise<DecisionChange | 'conflict'> {
    try {
      return await this.ds.transaction(async (em) => {
        const decision = await em.save(DecisionEntity, args.decision);
        const audit = await this.writeAudit(em, { decision, from: null, actor: args.actor, reason: args.reason, at: decision.createdAt });
        return { decision, audit };
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) return 'conflict';
      throw error;
    }
  }

  /** Changes one decision under a row lock: status (checked), fields, version bump, audit row. */
  change(args: ChangeArgs): Promise<DecisionChange> {
    return this.ds.transaction(async (em) => {
      const current = await em.findOne(DecisionEntity, { where: { id: args.id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw notFound(args.id);
      const from = current.status;
      if (args.to !== undefined && args.to !== from) assertTransition(current, args.to);
      Object.assign(current, args.patch ?? {}, { status: args.to ?? from, version: current.version + 1, updatedAt: args.at });
      if (args.addFlowId !== undefined && !current.flowIds.includes(args.addFlowId)) {
        current.flowIds = [...current.flowIds, args.addFlowId].slice(-MAX_FLOW_IDS);
      }
      const decision = await em.save(DecisionEntity, current);
      const audit = await this.writeAudit(em, { decision, from, actor: args.actor, reason: args.reason, at: args.at, details: args.details });
      return { decision, audit };
    });
  }

  /** Earlier decisions against a value since a time, not counting ones a human revoked. */
  countPriorOffences(value: string, since: Date): Promise<number> {
    return this.ds.getRepository(DecisionEntity).countBy({ value, createdAt: MoreThan(since), status: In(['active', 'expired', 'failed']) });
  }

  /** Automatic decisions that became active (newly, not by extension) since a time: the ceiling's count. */
  async countNewAutoActiveSince(since: Date): Promise<number> {
    const rows = (await this.ds.query(
      `SELECT count(*)::int AS n FROM "decision_audit" a JOIN "decisions" d ON d.id = a.decision_id
       WHERE a.to_status = 'active' AND a.from_status IS DISTINCT FROM 'active' AND a.at > $1 AND d.origin = 'auto'`,
      [since],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** Every decision the executors must hold: active and enforcing. */
  listEnforced(): Promise<DecisionEntity[]> {
    return this.ds.getRepository(DecisionEntity).find({ where: { status: 'active' }, order: { createdAt: 'ASC' } }).then((all) => all.filter((d) => d.action !== 'alert'));
  }

  listDue(now: Date, limit = 500): Promise<DecisionEntity[]> {
    return this.ds.getRepository(DecisionEntity).find({
      where: { status: In([...OPEN_DECISION_STATUSES]), expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC' },
      take: limit,
    });
  }

  listOpen(): Promise<DecisionEntity[]> {
    return this.ds.getRepository(DecisionEntity).findBy({ status: In([...OPEN_DECISION_STATUSES]) });
  }

  listByStatus(status: DecisionStatus): Promise<DecisionEntity[]> {
    return this.ds.getRepository(DecisionEntity).findBy({ status });
  }

  list(filter: DecisionFilter): Promise<DecisionEntity[]> {
    return this.ds.getRepository(DecisionEntity).find({
      where: {
        ...(filter.status ? { status: In([...filter.status]) } : {}),
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.value ? { value: filter.value } : {}),
      },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
  }

  /** Decisions changed after a time, oldest change first: the CrowdSec stream's source. */
  changedSince(since: Date, limit = 10_000): Promise<DecisionEntity[]> {
    return this.ds.getRepository(DecisionEntity).find({ where: { updatedAt: MoreThan(since) }, order: { updatedAt: 'ASC' }, take: limit });
  }

  /** Decisions per (status, action), for the metrics gauge. */
  async countByStatusAction(): Promise<{ status: string; action: string; count: number }[]> {
    return (await this.ds.query(`SELECT status, action, count(*)::int AS count FROM "decisions" GROUP BY status, action`)) as { status: string; action: string; count: number }[];
  }

  auditOf(id: string): Promise<DecisionAuditEntity[]> {
    return this.ds.getRepository(DecisionAuditEntity).find({ where: { decisionId: id }, order: { id: 'ASC' } });
  }

  private writeAudit(
    em: EntityManager,
    args: { decision: DecisionEntity; from: DecisionStatus | null; actor: string; reason: string; at: Date; details?: Record<string, unknown> },
  ): Promise<DecisionAuditEntity> {
    return em.save(DecisionAuditEntity, em.create(DecisionAuditEntity, {
      decisionId: args.decision.id,
      at: args.at,
      fromStatus: args.from,
      toStatus: args.decision.status,
      actor: args.actor,
      reason: args.reason,
      details: args.details ?? null,
    }));
  }
}

export function notFound(id: string): SelfHealingError {
  return new SelfHealingError({ code: SELF_HEALING_ERROR_CODES.DecisionNotFound, message: `no decision ${id}`, kind: 'not-found', details: { id } });
}
