import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { type ModelRegistryConfig } from './config/model-registry.config';

/** The model-registry service: owns model versions, artifacts and aliases; publishes activation events. */
@Module({})
export class ModelRegistryModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: NatsClient,
  ) {}

  static register(config: ModelRegistryConfig): DynamicModule {
    return {
      module: ModelRegistryModule,
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
          migrations: migrationsFor('model-registry'),
          applicationName: `vigil-${config.service}`,
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
