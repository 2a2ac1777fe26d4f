import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { type GatewayConfig } from './config/gateway.config';

/** The gateway service: the public REST API, dashboard and decision stream (HTTP on GATEWAY_PORT, health endpoints on the same port). */
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
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', async () => {
      if (!this.nats.isConnected()) throw new Error('not connected to NATS');
    });
  }
}
