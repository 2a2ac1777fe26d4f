import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { DatabaseModule, migrationsFor } from '@vigil/database';
import { MessagingModule, NatsClient, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { AliasRepository } from './aliases/alias.repository';
import { AliasService } from './aliases/alias.service';
import { type ModelRegistryConfig } from './config/model-registry.config';
import { CLOCK, REGISTRY_CONFIG, systemClock, type Clock } from './config/model-registry.tokens';
import { ActivationPublisher } from './events/activation.publisher';
import { ShippedModelsImporter } from './import/shipped-models.importer';
import { ModelInferenceHandler } from './inference/model-inference.handler';
import { ModelInferenceService } from './inference/model-inference.service';
import { RegistryHandler } from './messaging/registry.handler';
import { RolloutService } from './rollout/rollout.service';
import { UploadRepository } from './uploads/upload.repository';
import { UploadService } from './uploads/upload.service';
import { ModelValidationService } from './validation/model-validation.service';
import { VersionRepository } from './versions/version.repository';
import { VersionService } from './versions/version.service';

/** The model-registry service: owns model versions, artifacts and aliases; publishes activation events. */
@Module({})
export class ModelRegistryModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: NatsClient,
  ) {}

  static register(config: ModelRegistryConfig, overrides: { clock?: Clock } = {}): DynamicModule {
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
      providers: [
        { provide: REGISTRY_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? systemClock },
        ModelValidationService, VersionRepository, VersionService, AliasRepository, AliasService, ActivationPublisher,
        UploadRepository, UploadService, ShippedModelsImporter, RolloutService, RegistryHandler, ModelInferenceService, ModelInferenceHandler,
      ],
      exports: [VersionService, AliasService, ShippedModelsImporter, RolloutService],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', async () => {
      if (!this.nats.isConnected()) throw new Error('not connected to NATS');
    });
  }
}
