import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { pipelineTopology } from '@vigil/contracts';
import { type IngestionConfig } from './config/ingestion.config';
import { FlowIntakeModule } from './flow-intake/flow-intake.module';
import { UploadJobsModule } from './upload-jobs/upload-jobs.module';

/** The ingestion service: parses, validates and publishes flow batches; owns upload jobs and row errors. */
@Module({})
export class IngestionModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: NatsClient,
  ) {}

  static register(config: IngestionConfig): DynamicModule {
    return {
      module: IngestionModule,
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
          migrations: migrationsFor('ingestion'),
          applicationName: `vigil-${config.service}`,
        }),
        UploadJobsModule.register(config.pipelinePrefix),
        FlowIntakeModule.register({
          defaultSensor: config.defaultSensor,
          batchMaxFlows: config.batchMaxFlows,
          dedupCapacity: config.dedupCapacity,
          concurrency: config.concurrency,
          maxDeliver: config.maxDeliver,
          topology: pipelineTopology(config.pipelinePrefix),
        }),
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', async () => {
      if (!this.nats.isConnected()) throw new Error('not connected to NATS');
    });
  }
}
