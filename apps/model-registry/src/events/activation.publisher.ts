import { Inject, Injectable } from '@nestjs/common';
import { modelActivatedEventSchema, registryTopology, type ModelActivatedEvent } from '@vigil/contracts';
import { NatsClient, ensureStream, publishBatch } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { AliasRepository, type AliasEventRow } from '../aliases/alias.repository';
import { toModelAliases } from '../aliases/alias.history';
import { CLOCK, REGISTRY_CONFIG, type Clock } from '../config/model-registry.tokens';
import { type ModelRegistryConfig } from '../config/model-registry.config';
import { VersionRepository } from '../versions/version.repository';

/**
 * Publishes alias moves on `models.activated.<name>` from the alias_events table (an outbox):
 * a move commits first, then its event goes out with msg id `models.activated:<name>:<id>`, so
 * a retry after a crash or a lost PubAck is stored once. Each event carries the model's alias
 * state at publish time, which replicas reconcile to.
 */
@Injectable()
export class ActivationPublisher {
  private readonly topology;
  private flushing: Promise<number> | undefined;

  constructor(
    @Inject(REGISTRY_CONFIG) config: ModelRegistryConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly nats: NatsClient,
    private readonly aliases: AliasRepository,
    private readonly versions: VersionRepository,
  ) {
    this.topology = registryTopology(config.pipelinePrefix);
  }

  async ensureStream(): Promise<void> {
    await ensureStream(await this.nats.manager(), { ...this.topology.stream, storage: 'file' });
  }

  /** Publishes every unpublished move in order; stops at the first failure (the next flush retries). */
  flush(): Promise<number> {
    this.flushing ??= this.flushNow().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushNow(): Promise<number> {
    let published = 0;
    for (const row of await this.aliases.unpublished()) {
      try {
        await publishBatch(this.nats.jetstream, { subject: this.topology.activated(row.name), payload: new TextEncoder().encode(JSON.stringify(await this.eventOf(row))), msgId: `models.activated:${row.name}:${row.id}` });
      } catch (err) {
        this.logger.warn({ err, eventId: row.id, model: row.name }, 'activation event not published yet; will retry');
        break;
      }
      await this.aliases.markPublished(row.id, this.clock.now());
      published += 1;
    }
    return published;
  }

  async eventOf(row: AliasEventRow): Promise<ModelActivatedEvent> {
    const model = await this.versions.model(row.name);
    const aliases = toModelAliases(await this.aliases.aliases(row.name));
    const artifacts: Record<string, string> = {};
    for (const target of Object.values(aliases)) {
      if (target !== undefined) artifacts[String(target.version)] = (await this.versions.get(row.name, target.version)).sha256;
    }
    return modelActivatedEventSchema.parse({
      event: 'models.activated', eventId: row.id, name: row.name, task: model.task, contract: model.contract, alias: row.alias,
      from: row.from, to: row.to, kind: row.kind, actor: row.actor, reason: row.reason, at: new Date(row.at).toISOString(), aliases, artifacts,
    });
  }
}
