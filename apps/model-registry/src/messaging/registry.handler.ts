import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import {
  aliasHistoryRequestSchema, downloadArtifactRequestSchema, listModelsRequestSchema, listVersionsRequestSchema, modelNameRequestSchema, registryTopology,
  rollbackRequestSchema, rolloutStatusRequestSchema, setAliasRequestSchema, uploadBeginRequestSchema, uploadChunkRequestSchema, uploadCommitRequestSchema,
  versionRequestSchema, type RegistryRequestName,
} from '@vigil/contracts';
import { NatsClient, serveRequests, type ReplyServer } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { AliasService } from '../aliases/alias.service';
import { REGISTRY_CONFIG } from '../config/model-registry.tokens';
import { type ModelRegistryConfig } from '../config/model-registry.config';
import { ActivationPublisher } from '../events/activation.publisher';
import { ShippedModelsImporter } from '../import/shipped-models.importer';
import { RolloutService } from '../rollout/rollout.service';
import { UploadService } from '../uploads/upload.service';
import { VersionRepository } from '../versions/version.repository';
import { VersionService } from '../versions/version.service';
import { parseRequest } from './request.parser';

type RequestHandler = (payload: unknown, subject: string) => Promise<unknown>;

const HOUSEKEEPING_MS = 5_000;

/**
 * The registry's NATS adapters: request/reply for the gateway, CLI and replicas; at start the
 * activation stream, the shipped-models import, the outbox flush and the rollout listener.
 */
@Injectable()
export class RegistryHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private replies: ReplyServer[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: ModelRegistryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly nats: NatsClient,
    private readonly versions: VersionService,
    private readonly versionRepo: VersionRepository,
    private readonly aliases: AliasService,
    private readonly uploads: UploadService,
    private readonly publisher: ActivationPublisher,
    private readonly importer: ShippedModelsImporter,
    private readonly rollout: RolloutService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.ensureStream();
    if (this.config.importOnStart) await this.importer.importAll();
    await this.publisher.flush();
    await this.rollout.start();
    const topology = registryTopology(this.config.pipelinePrefix);
    this.replies = Object.entries(this.requestHandlers()).map(([name, handler]) => {
      const subject = topology.request(name as RegistryRequestName);
      return serveRequests(this.nats.connection, { subject, queue: this.config.service, logger: this.logger, handler: (payload) => handler(payload, subject) });
    });
    await this.nats.connection.flush();
    this.timer = setInterval(() => void this.housekeeping(), HOUSEKEEPING_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.rollout.stop();
    await Promise.all(this.replies.map((r) => r.stop()));
  }

  private async housekeeping(): Promise<void> {
    try {
      await this.publisher.flush();
      await this.uploads.sweep(this.config.uploadTtlMs);
    } catch (err) {
      this.logger.warn({ err }, 'registry housekeeping failed; retrying on the next tick');
    }
  }

  private requestHandlers(): Record<RegistryRequestName, RequestHandler> {
    return {
      listModels: async (p, s) => {
        parseRequest(listModelsRequestSchema, p, s);
        return Promise.all((await this.versionRepo.models()).map(async (m) => ({ ...m, aliases: await this.aliases.get(m.name) })));
      },
      listVersions: async (p, s) => {
        const { name, limit } = parseRequest(listVersionsRequestSchema, p, s);
        return this.versions.list(name, limit);
      },
      getVersion: async (p, s) => {
        const { name, version } = parseRequest(versionRequestSchema, p, s);
        return this.versions.get(name, version);
      },
      uploadBegin: async (p, s) => this.uploads.begin(parseRequest(uploadBeginRequestSchema, p, s)),
      uploadChunk: async (p, s) => this.uploads.chunk(parseRequest(uploadChunkRequestSchema, p, s)),
      uploadCommit: async (p, s) => this.uploads.commit(parseRequest(uploadCommitRequestSchema, p, s).uploadId),
      downloadArtifact: async (p, s) => {
        const args = parseRequest(downloadArtifactRequestSchema, p, s);
        const slice = await this.versionRepo.artifactSlice(args);
        return { name: args.name, version: args.version, sha256: slice.sha256, sizeBytes: slice.sizeBytes, offset: args.offset, data: slice.data.toString('base64') };
      },
      getAliases: async (p, s) => {
        const { name } = parseRequest(modelNameRequestSchema, p, s);
        await this.versionRepo.model(name);
        return { name, aliases: await this.aliases.get(name) };
      },
      setAlias: async (p, s) => this.aliases.set(parseRequest(setAliasRequestSchema, p, s)),
      rollback: async (p, s) => this.aliases.rollback(parseRequest(rollbackRequestSchema, p, s)),
      aliasHistory: async (p, s) => this.aliases.history(parseRequest(aliasHistoryRequestSchema, p, s)),
      rolloutStatus: async (p, s) => this.rollout.status(parseRequest(rolloutStatusRequestSchema, p, s).name),
    };
  }
}
