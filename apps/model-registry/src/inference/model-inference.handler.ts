import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsClient, serveRequests, type ReplyServer } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { inferRequestSchema, registryInferSubject } from '@vigil/registry-client';
import { REGISTRY_CONFIG } from '../config/model-registry.tokens';
import { type ModelRegistryConfig } from '../config/model-registry.config';
import { parseRequest } from '../messaging/request.parser';
import { ModelInferenceService } from './model-inference.service';

/** Serves `registry.infer` (queue group: any registry replica answers). */
@Injectable()
export class ModelInferenceHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server: ReplyServer | undefined;

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: ModelRegistryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly nats: NatsClient,
    private readonly inference: ModelInferenceService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const subject = registryInferSubject(this.config.pipelinePrefix);
    this.server = serveRequests(this.nats.connection, {
      subject, queue: this.config.service, logger: this.logger,
      handler: (payload) => this.inference.infer(parseRequest(inferRequestSchema, payload, subject)),
    });
    await this.nats.connection.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.stop();
  }
}
