import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { pipelineTopology } from '@vigil/contracts';
import { type ClassificationConfig } from './config/classification.config';
import { ThreatClassificationModule } from './threat-classification/threat-classification.module';

/** The classification service: runs the attack-type model over flagged flows (stateless, scales out). */
@Module({})
export class ClassificationModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: NatsClient,
  ) {}

  static register(config: ClassificationConfig): DynamicModule {
    return {
      module: ClassificationModule,
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
          migrations: migrationsFor('classification'),
          applicationName: `vigil-${config.service}`,
        }),
        ThreatClassificationModule.register({ ...config.stage, topology: pipelineTopology(config.stage.pipelinePrefix) }),
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', async () => {
      if (!this.nats.isConnected()) throw new Error('not connected to NATS');
    });
  }
}
