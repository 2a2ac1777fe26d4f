import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@vigil/observability';
import { AllowlistService } from '../allowlist/allowlist.service';
import { CLOCK, SELF_HEALING_CONFIG, type Clock } from '../config/self-healing.tokens';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { EvidenceRepository } from '../evidence/evidence.repository';
import { SelfHealingMetrics } from '../metrics/self-healing.metrics';
import { PolicyService } from '../policy/policy.service';
import { DetectorProbe } from '../safety/detector.probe';
import { SafetyStateService } from '../safety/safety-state.service';
import { DecisionEnforcer } from './decision.enforcer';
import { DecisionRepository } from './decision.repository';
import { isEnforced } from './decision.transitions';

/**
 * Start-up and the periodic sweep. At start, decisions past their expiry are expired first,
 * then every executor is reconciled to exactly the active ones: a restart neither
 * mass-unbans nor resurrects. The sweep expires due decisions, retries failed ones, watches
 * the detector and picks up switches another replica changed.
 */
@Injectable()
export class DecisionLifecycleService implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(SELF_HEALING_CONFIG) private readonly config: SelfHealingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: DecisionRepository,
    private readonly enforcer: DecisionEnforcer,
    private readonly policies: PolicyService,
    private readonly allowlist: AllowlistService,
    private readonly safety: SafetyStateService,
    private readonly detector: DetectorProbe,
    private readonly evidence: EvidenceRepository,
    private readonly metrics: SelfHealingMetrics,
  ) {}

  /** Called once by the handler before it takes traffic. */
  async start(): Promise<void> {
    await this.policies.load();
    await this.allowlist.refresh();
    await this.safety.refresh();
    const expired = await this.expireDue();
    const enforced = await this.repository.listEnforced();
    await this.enforcer.reconcileAll(enforced);
    this.logger.info({ expired, enforced: enforced.length, simulation: (await this.safety.getSimulation()).enabled }, 'decisions reconciled at start');
    this.timer = setInterval(() => this.tick(), this.config.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep; exposed so tests run it on demand. */
  async sweep(): Promise<{ expired: number; retried: number; pruned: number }> {
    const expired = await this.expireDue();
    let retried = 0;
    for (const failed of await this.repository.listByStatus('failed')) {
      await this.enforcer.retry(failed);
      retried += 1;
    }
    await this.safety.refresh();
    await this.allowlist.refresh();
    await this.policies.refresh();
    const observation = await this.detector.observe();
    if (observation) await this.safety.observeDetector(observation);
    const pruned = await this.pruneEvidence();
    this.metrics.setDecisionCounts(await this.repository.countByStatusAction());
    return { expired, retried, pruned };
  }

  /** Evidence older than the longest window of any policy can never count again. */
  private pruneEvidence(): Promise<number> {
    const longest = Math.max(60, ...this.policies.list().map((p) => p.evidenceWindowSeconds));
    return this.evidence.prune(new Date(this.clock.now().getTime() - longest * 1000));
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.sweep()
      .then(() => undefined, (err: unknown) => this.logger.error({ err }, 'decision sweep failed'))
      .finally(() => (this.running = undefined));
  }

  private async expireDue(): Promise<number> {
    let count = 0;
    for (const due of await this.repository.listDue(this.clock.now())) {
      const change = await this.repository.change({ id: due.id, to: 'expired', actor: 'self-healing', reason: 'expiry reached', at: this.clock.now() });
      await this.enforcer.settle({ change, kind: 'status-changed', wasEnforced: isEnforced(due) || due.status === 'failed' });
      count += 1;
    }
    return count;
  }
}
