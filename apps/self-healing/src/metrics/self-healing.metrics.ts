import { Injectable } from '@nestjs/common';
import { type DecisionKind, type DecisionStatus } from '@vigil/contracts';
import { Metrics } from '@vigil/observability';
import { type Counter, type Gauge } from 'prom-client';

export type EvidenceOutcome = 'recorded' | 'duplicate' | 'ignored';

/** Self-healing's series on /metrics (every one labelled with service and instance). */
@Injectable()
export class SelfHealingMetrics {
  private readonly decisions: Gauge<'status' | 'action'>;
  private readonly changes: Counter<'status' | 'action'>;
  private readonly evidence: Counter<'outcome'>;
  private readonly executorFailures: Counter<'executor' | 'operation'>;
  private readonly ceilingTrips: Counter;

  constructor(metrics: Metrics) {
    this.decisions = metrics.gauge({ name: 'vigil_self_healing_decisions', help: 'Decisions by status and action (refreshed every sweep)', labelNames: ['status', 'action'] });
    this.changes = metrics.counter({ name: 'vigil_self_healing_decision_changes_total', help: 'Decision changes published, by resulting status and action', labelNames: ['status', 'action'] });
    this.evidence = metrics.counter({
      name: 'vigil_self_healing_evidence_total',
      help: 'Threats seen: recorded as evidence, duplicate (flow already recorded), ignored (no source, no policy, low confidence)',
      labelNames: ['outcome'],
    });
    this.executorFailures = metrics.counter({ name: 'vigil_self_healing_executor_failures_total', help: 'Executor calls that failed', labelNames: ['executor', 'operation'] });
    this.ceilingTrips = metrics.counter({ name: 'vigil_self_healing_ceiling_trips_total', help: 'Times the new-decisions-per-minute ceiling switched simulation on' });
  }

  decisionChanged(status: DecisionStatus, action: DecisionKind): void {
    this.changes.inc({ status, action });
  }

  setDecisionCounts(rows: readonly { status: string; action: string; count: number }[]): void {
    this.decisions.reset();
    for (const row of rows) this.decisions.set({ status: row.status, action: row.action }, row.count);
  }

  evidenceSeen(outcome: EvidenceOutcome, count: number): void {
    if (count > 0) this.evidence.inc({ outcome }, count);
  }

  executorFailed(executor: string, operation: 'apply' | 'withdraw' | 'reconcile'): void {
    this.executorFailures.inc({ executor, operation });
  }

  ceilingTripped(): void {
    this.ceilingTrips.inc();
  }
}
