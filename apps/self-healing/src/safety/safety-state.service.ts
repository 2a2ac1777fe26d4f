import { Inject, Injectable } from '@nestjs/common';
import { type SafetyState } from '@vigil/remediation';
import { CLOCK, SELF_HEALING_CONFIG, type Clock } from '../config/self-healing.tokens';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { DecisionRepository } from '../decisions/decision.repository';
import { SafetyAlerts } from '../events/safety-alerts.service';
import { SelfHealingMetrics } from '../metrics/self-healing.metrics';
import { SettingsRepository, type SimulationSetting } from '../settings/settings.repository';
import { DetectorHealth, type DetectorObservation, type HealthTransition } from './detector-health';

/** The switches the safety engine reads: simulation (persisted), detector health, the per-minute ceiling. */
@Injectable()
export class SafetyStateService {
  private simulation: SimulationSetting | undefined;
  readonly detector: DetectorHealth;

  constructor(
    @Inject(SELF_HEALING_CONFIG) private readonly config: SelfHealingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly settings: SettingsRepository,
    private readonly decisions: DecisionRepository,
    private readonly alerts: SafetyAlerts,
    private readonly metrics: SelfHealingMetrics,
  ) {
    this.detector = new DetectorHealth({ outageAfterMs: config.detectorOutageMs, startedAtMs: clock.now().getTime() });
  }

  async getSimulation(): Promise<SimulationSetting> {
    this.simulation ??= await this.settings.getSimulation();
    return this.simulation;
  }

  /** Re-reads the persisted switch (another replica or the ceiling may have flipped it). */
  async refresh(): Promise<void> {
    this.simulation = await this.settings.getSimulation();
  }

  async setSimulation(args: { enabled: boolean; actor: string; reason: string }): Promise<SimulationSetting> {
    this.simulation = await this.settings.setSimulation({ ...args, at: this.clock.now() });
    return this.simulation;
  }

  async current(): Promise<SafetyState> {
    const since = new Date(this.clock.now().getTime() - 60_000);
    return {
      simulation: (await this.getSimulation()).enabled,
      detectorHealthy: this.detector.healthy,
      newActiveLastMinute: await this.decisions.countNewAutoActiveSince(since),
      ceilingPerMinute: this.config.ceilingPerMinute,
    };
  }

  async tripCeiling(details: Record<string, unknown>): Promise<void> {
    this.metrics.ceilingTripped();
    await this.setSimulation({ enabled: true, actor: 'safety', reason: `ceiling of ${this.config.ceilingPerMinute} new decisions per minute reached` });
    await this.alerts.raise({
      code: 'SELF_HEALING.CEILING_TRIPPED',
      message: `more than ${this.config.ceilingPerMinute} new decisions in a minute: simulation mode switched on`,
      details,
    });
  }

  async observeDetector(obs: Omit<DetectorObservation, 'nowMs'>): Promise<void> {
    await this.announce(this.detector.observe({ ...obs, nowMs: this.clock.now().getTime() }), 'flows arrive but no detection results follow');
  }

  async signalDetector(args: { healthy: boolean; source: string; reason: string }): Promise<void> {
    await this.announce(this.detector.signal(args), `${args.source}: ${args.reason}`);
  }

  private async announce(transition: HealthTransition, why: string): Promise<void> {
    if (transition === 'outage') {
      await this.alerts.raise({ code: 'SELF_HEALING.DETECTOR_OUTAGE', message: `detector outage (${why}): no new bans until it recovers`, details: this.detector.status });
    } else if (transition === 'recovered') {
      await this.alerts.raise({ code: 'SELF_HEALING.DETECTOR_RECOVERED', message: 'detector recovered', details: this.detector.status });
    }
  }
}
