import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { pipelineTopology, uploadTopology } from '@vigil/contracts';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { CrowdSecModule } from './crowdsec/crowdsec.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DecisionsModule } from './decisions/decisions.module';
import { DriftModule } from './drift/drift.module';
import { InferenceV2Module } from './inference-v2/inference-v2.module';
import { ModelsModule } from './models/models.module';
import { GATEWAY_CONFIG, GATEWAY_TOPOLOGY, type GatewayConfig, UPLOAD_TOPOLOGY } from './config/gateway.config';
import { FlowsModule } from './flows/flows.module';
import { LiveModule } from './live/live.module';
import { ReadModelModule } from './read-model/read-model.module';
import { StatsModule } from './stats/stats.module';
import { UploadsModule } from './uploads/uploads.module';

/** Shares the parsed config and the pipeline topology with every feature module. */
@Module({})
class GatewayConfigModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayConfigModule,
      global: true,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_TOPOLOGY, useValue: pipelineTopology(config.pipelinePrefix) },
        { provide: UPLOAD_TOPOLOGY, useValue: uploadTopology(config.pipelinePrefix) },
      ],
      exports: [GATEWAY_CONFIG, GATEWAY_TOPOLOGY, UPLOAD_TOPOLOGY],
    };
  }
}

/**
 * The gateway service: the public REST API under /api/v1 (one feature folder per area), the
 * OpenAPI document, the WebSocket feed, and the read model it keeps from the result streams.
 * Health endpoints stay at the root, unauthenticated.
 */
@Module({})
export class GatewayModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: NatsClient,
  ) {}

  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        GatewayConfigModule.register(config),
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
          migrations: migrationsFor('gateway'),
          applicationName: `vigil-${config.service}`,
        }),
        AuthModule,
        LiveModule,
        ReadModelModule,
        FlowsModule,
        UploadsModule,
        AlertsModule,
        StatsModule,
        DecisionsModule,
        CrowdSecModule,
        DriftModule,
        ModelsModule,
        InferenceV2Module,
        DashboardModule,
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', async () => {
      if (!this.nats.isConnected()) throw new Error('not connected to NATS');
    });
  }
}
