import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { type ServiceConfig, type ServiceName } from '@vigil/config';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, type Logger, Metrics, ReadinessRegistry } from '@vigil/observability';
import { type StageSettings } from './stage.config';
import { InferenceStage, type StageSpec } from './inference.stage';

export interface InferenceServiceConfig extends ServiceConfig {
  readonly stage: StageSettings;
}

const STAGE_OPTIONS = Symbol('STAGE_OPTIONS');

interface StageOptions {
  readonly config: InferenceServiceConfig;
  readonly spec: StageSpec<unknown>;
}

/** The Nest adapter of an InferenceStage: starts it after bootstrap, stops it before shutdown. */
@Injectable()
export class InferenceStageHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly stage: InferenceStage<unknown>;
  private running: Promise<void> | undefined;

  constructor(
    nats: NatsClient,
    readiness: ReadinessRegistry,
    metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(STAGE_OPTIONS) options: StageOptions,
  ) {
    this.stage = new InferenceStage({ spec: options.spec, settings: options.config.stage, nats, instance: options.config.instance, logger, metrics, readiness });
    readiness.register('nats', async () => {
      if (!nats.isConnected()) throw new Error('not connected to NATS');
    });
  }

  onApplicationBootstrap(): void {
    // In the background: a registry that is not up yet must not hold the HTTP health endpoints down.
    this.running = this.stage.start().catch((err: unknown) => this.logger.error({ err }, 'inference stage failed to start'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.running;
    await this.stage.stop();
  }
}

/** An inference service: NATS, its (empty) Postgres schema, and the stage. */
@Module({})
export class InferenceStageModule {
  static register<T>(args: { config: InferenceServiceConfig; spec: StageSpec<T> }): DynamicModule {
    const { config } = args;
    return {
      module: InferenceStageModule,
      imports: [
        MessagingModule.forRootAsync({
          useFactory: (logger: Logger): MessagingModuleOptions => ({ servers: config.natsServers, name: `${config.service}-${config.instance}`, logger }),
          inject: [LOGGER],
        }),
        DatabaseModule.forService({ url: config.databaseUrl, schema: config.databaseSchema, migrations: migrationsFor(config.service as ServiceName), applicationName: `vigil-${config.service}` }),
      ],
      providers: [{ provide: STAGE_OPTIONS, useValue: { config, spec: args.spec as StageSpec<unknown> } }, InferenceStageHandler],
    };
  }
}
