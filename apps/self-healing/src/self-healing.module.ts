import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { AllowlistEntity } from './allowlist/allowlist.entity';
import { AllowlistRepository } from './allowlist/allowlist.repository';
import { AllowlistService } from './allowlist/allowlist.service';
import { type SelfHealingConfig } from './config/self-healing.config';
import { CLOCK, DECISION_EXECUTORS, DECISION_PUBLISHER, SELF_HEALING_CONFIG, type Clock } from './config/self-healing.tokens';
import { DecisionAuditEntity, DecisionEntity } from './decisions/decision.entity';
import { DecisionCommandsService } from './decisions/decision-commands.service';
import { DecisionEnforcer } from './decisions/decision.enforcer';
import { DecisionLifecycleService } from './decisions/decision-lifecycle.service';
import { DecisionRepository } from './decisions/decision.repository';
import { DecisionStreamService } from './decisions/decision-stream.service';
import { ThreatDecisionService } from './decisions/threat-decision.service';
import { NatsDecisionPublisher } from './events/decision.publisher';
import { SafetyAlerts } from './events/safety-alerts.service';
import { EvidenceRepository } from './evidence/evidence.repository';
import { SelfHealingMetrics } from './metrics/self-healing.metrics';
import { executorsFor } from './executors/executor.factory';
import { SelfHealingHandler } from './messaging/self-healing.handler';
import { selfHealingTopology } from './messaging/self-healing.topology';
import { PolicyEntity } from './policy/policy.entity';
import { PolicyRepository } from './policy/policy.repository';
import { PolicyService } from './policy/policy.service';
import { DetectorProbe } from './safety/detector.probe';
import { SafetyStateService } from './safety/safety-state.service';
import { SettingEntity } from './settings/settings.entity';
import { SettingsRepository } from './settings/settings.repository';

export const SELF_HEALING_ENTITIES = [DecisionEntity, DecisionAuditEntity, PolicyEntity, AllowlistEntity, SettingEntity];

const systemClock: Clock = { now: () => new Date() };

/** The self-healing service: turns threats into decisions and executes them; owns decisions, policies, allowlists, audit. */
@Module({})
export class SelfHealingModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: NatsClient,
  ) {}

  static register(config: SelfHealingConfig, overrides: { clock?: Clock } = {}): DynamicModule {
    return {
      module: SelfHealingModule,
      imports: [
        MessagingModule.forRootAsync({
          useFactory: (logger: Logger): MessagingModuleOptions => ({
            servers: config.natsServers,
            name: `${config.service}-${config.instance}`,
            logger,
          }),
          inject: [LOGGER],
        }),
        DatabaseModule.forService({
          url: config.databaseUrl,
          schema: config.databaseSchema,
          migrations: migrationsFor('self-healing'),
          entities: SELF_HEALING_ENTITIES,
          applicationName: `vigil-${config.service}`,
        }),
      ],
      providers: [
        { provide: SELF_HEALING_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? systemClock },
        { provide: DECISION_EXECUTORS, useFactory: () => executorsFor(config) },
        { provide: DECISION_PUBLISHER, useFactory: (nats: NatsClient) => new NatsDecisionPublisher(nats, selfHealingTopology(config.pipelinePrefix)), inject: [NatsClient] },
        DecisionRepository, PolicyRepository, AllowlistRepository, SettingsRepository, EvidenceRepository, SelfHealingMetrics,
        SafetyAlerts, SafetyStateService, DetectorProbe, PolicyService, AllowlistService,
        DecisionEnforcer, ThreatDecisionService, DecisionCommandsService, DecisionStreamService, DecisionLifecycleService,
        SelfHealingHandler,
      ],
      exports: [DecisionCommandsService, DecisionLifecycleService, ThreatDecisionService, SafetyStateService, DECISION_EXECUTORS],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', async () => {
      if (!this.nats.isConnected()) throw new Error('not connected to NATS');
    });
  }
}
