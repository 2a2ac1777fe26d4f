import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MessagingOutcomeInterceptor } from './messaging-outcome.interceptor';
import { type ConnectNatsOptions } from './nats/nats-client.config';
import { NatsClient } from './nats/nats-client.service';
import { type MessagingLogger } from './nats/messaging.logger';

export type MessagingModuleOptions = ConnectNatsOptions & { logger?: MessagingLogger };

/**
 * Opens the service's NATS connection at boot (start-up fails if NATS is unreachable) and
 * drains it at shutdown, after the transport has settled its in-flight messages.
 */
@Global()
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(private readonly client: NatsClient) {}

  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return MessagingModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync(args: {
    useFactory: (...deps: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
    inject?: (string | symbol | (abstract new (...a: never[]) => unknown))[];
  }): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        {
          provide: NatsClient,
          useFactory: async (...deps: never[]) => NatsClient.connect(await args.useFactory(...deps)),
          inject: args.inject ?? [],
        },
        { provide: APP_INTERCEPTOR, useClass: MessagingOutcomeInterceptor },
      ],
      exports: [NatsClient],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.drain();
  }
}
