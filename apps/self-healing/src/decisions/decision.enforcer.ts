import { Inject, Injectable } from '@nestjs/common';
import { type DecisionAuditEntry } from '@vigil/contracts';
import { LOGGER, type Logger } from '@vigil/observability';
import { CLOCK, DECISION_EXECUTORS, DECISION_PUBLISHER, type Clock } from '../config/self-healing.tokens';
import { type DecisionExecutor } from '../executors/decision.executor';
import { type DecisionPublisher } from '../events/decision.publisher';
import { SafetyAlerts } from '../events/safety-alerts.service';
import { SelfHealingMetrics } from '../metrics/self-healing.metrics';
import { type DecisionAuditEntity, type DecisionEntity } from './decision.entity';
import { DecisionRepository, type DecisionChange } from './decision.repository';
import { isEnforced, toDecision } from './decision.transitions';

export type ChangeKind = 'created' | 'extended' | 'status-changed';

function auditEntry(audit: DecisionAuditEntity): DecisionAuditEntry {
  return {
    at: audit.at.toISOString(), fromStatus: audit.fromStatus, toStatus: audit.toStatus, actor: audit.actor, reason: audit.reason,
    ...(audit.details ? { details: audit.details } : {}),
  };
}

/**
 * After a decision change is stored: brings every executor in line with it, then publishes
 * it. An executor failure marks the decision `failed` with the error (the sweeper retries it)
 * and raises an alert; the decision itself is never lost.
 */
@Injectable()
export class DecisionEnforcer {
  constructor(
    @Inject(DECISION_EXECUTORS) private readonly executors: readonly DecisionExecutor[],
    @Inject(DECISION_PUBLISHER) private readonly publisher: DecisionPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: DecisionRepository,
    private readonly alerts: SafetyAlerts,
    private readonly metrics: SelfHealingMetrics,
  ) {}

  async settle(args: { change: DecisionChange; kind: ChangeKind; wasEnforced: boolean }): Promise<DecisionEntity> {
    let { change } = args;
    if (isEnforced(change.decision) || change.decision.status === 'failed') {
      const failure = await this.applyAll(change.decision);
      if (failure) change = await this.markFailed(change, args.kind, failure);
    } else if (args.wasEnforced) {
      await this.withdrawAll(change.decision);
    }
    await this.publish(change, args.kind);
    return change.decision;
  }

  /** Re-applies a failed decision; it becomes active again once every executor holds it. */
  async retry(decision: DecisionEntity): Promise<void> {
    if (await this.applyAll(decision)) return;
    const change = await this.repository.change({ id: decision.id, to: 'active', actor: 'self-healing', reason: 'executors recovered', at: this.clock.now(), patch: { lastError: null } });
    await this.publish(change, 'status-changed');
  }

  async reconcileAll(enforced: readonly DecisionEntity[]): Promise<void> {
    for (const executor of this.executors) {
      try {
        await executor.reconcile(enforced, this.clock.now());
      } catch (err) {
        this.metrics.executorFailed(executor.name, 'reconcile');
        throw err;
      }
    }
  }

  async publish(change: DecisionChange, kind: ChangeKind): Promise<void> {
    const { decision } = change;
    this.metrics.decisionChanged(decision.status, decision.action);
    try {
      await this.publisher.publish({
        kind: decision.action,
        msgId: `${decision.id}:${decision.version}`,
        event: { event: 'decision', change: kind, decision: toDecision(decision), audit: auditEntry(change.audit) },
      });
    } catch (err) {
      // The database is the record; the event stream is a notification and must not undo a decision.
      this.logger.error({ err, decisionId: decision.id, version: decision.version }, 'decision event not published');
    }
  }

  private async applyAll(decision: DecisionEntity): Promise<string | undefined> {
    const errors: string[] = [];
    for (const executor of this.executors) {
      try {
        await executor.apply(decision, this.clock.now());
      } catch (err) {
        this.metrics.executorFailed(executor.name, 'apply');
        errors.push(`${executor.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return errors.length > 0 ? errors.join('; ') : undefined;
  }

  private async withdrawAll(decision: DecisionEntity): Promise<void> {
    for (const executor of this.executors) {
      try {
        await executor.withdraw(decision);
      } catch (err) {
        this.metrics.executorFailed(executor.name, 'withdraw');
        // Kernel timeouts still lift it at expiry; a revoke that did not reach the firewall needs a human.
        this.logger.error({ err, decisionId: decision.id, executor: executor.name }, 'executor could not lift a decision');
        await this.alerts.raise({ code: 'SELF_HEALING.EXECUTOR_FAILED', message: `${executor.name} could not lift decision ${decision.id} on ${decision.value}`, details: { decisionId: decision.id, executor: executor.name } });
      }
    }
  }

  private async markFailed(change: DecisionChange, kind: ChangeKind, error: string): Promise<DecisionChange> {
    await this.publish(change, kind);
    const failed = await this.repository.change({ id: change.decision.id, to: 'failed', actor: 'self-healing', reason: 'executor failed', at: this.clock.now(), patch: { lastError: error.slice(0, 4000) } });
    await this.alerts.raise({ code: 'SELF_HEALING.EXECUTOR_FAILED', message: `decision ${change.decision.id} on ${change.decision.value} could not be enforced: ${error}`, details: { decisionId: change.decision.id } });
    return failed;
  }
}
