import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { pipelineTopology } from '@vigil/contracts';
import { type DetectionConfig } from './config/detection.config';
import { FlowScoringModule } from './flow-scoring/flow-scoring.module';

/** The detection service: runs the binary threat model over flow batches (stateless, scales out). */
@Module({})
export class DetectionModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: NatsClient,
  ) {}

  static register(config: DetectionConfig): DynamicModule {
    return {
      module: DetectionModule,
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
          migrations: migrationsFor('detection'),
          applicationName: `vigil-${config.service}`,
        }),
        FlowScoringModule.register({ ...config.stage, topology: pipelineTopology(config.stage.pipelinePrefix) }),
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', async () => {
      if (!this.nats.isConnected()) throw new Error('not connected to NATS');
    });
  }
}
