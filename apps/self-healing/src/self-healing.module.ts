import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { type SelfHealingConfig } from './config/self-healing.config';

/** The self-healing service: turns threats into decisions and executes them; owns decisions, policies, allowlists, audit. */
@Module({})
export class SelfHealingModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: NatsClient,
  ) {}

  static register(config: SelfHealingConfig): DynamicModule {
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
