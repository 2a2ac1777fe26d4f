import { Inject, Injectable } from '@nestjs/common';
import { registryTopology, rolloutReportSchema } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { type Subscription } from '@nats-io/nats-core';
import { AliasRepository } from '../aliases/alias.repository';
import { toModelAliases } from '../aliases/alias.history';
import { CLOCK, REGISTRY_CONFIG, type Clock } from '../config/model-registry.tokens';
import { type ModelRegistryConfig } from '../config/model-registry.config';
import { RolloutTracker, type RolloutStatus } from './rollout.tracker';

/**
 * Listens to the replicas' rollout reports (core NATS `models.rollout.<replica>`; every registry
 * replica hears every report, so each answers the whole picture) and asks them all to report
 * at start, so a restarted registry knows the fleet within one round trip.
 */
@Injectable()
export class RolloutService {
  private readonly tracker: RolloutTracker;
  private readonly topology;
  private sub: Subscription | undefined;

  constructor(
    @Inject(REGISTRY_CONFIG) config: ModelRegistryConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly nats: NatsClient,
    private readonly aliases: AliasRepository,
  ) {
    this.tracker = new RolloutTracker(config.rolloutForgetMs);
    this.topology = registryTopology(config.pipelinePrefix);
  }

  async start(): Promise<void> {
    this.sub = this.nats.connection.subscribe(this.topology.rolloutAll, {
      callback: (err, msg) => {
        if (err) return;
        const parsed = rolloutReportSchema.safeParse(safeJson(msg.data));
        if (parsed.success) this.tracker.record(parsed.data, this.clock.now());
        else this.logger.warn({ subject: msg.subject, problems: parsed.error.issues.slice(0, 3).map((i) => i.message) }, 'ignored malformed rollout report');
      },
    });
    await this.nats.connection.flush();
    this.nats.connection.publish(this.topology.rolloutPoll, '{}');
  }

  stop(): void {
    this.sub?.unsubscribe();
  }

  async status(name?: string): Promise<RolloutStatus> {
    const aliases = new Map([...(await this.aliases.allAliases())].map(([model, rows]) => [model, toModelAliases(rows)]));
    return this.tracker.status({ now: this.clock.now(), aliases, name });
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
