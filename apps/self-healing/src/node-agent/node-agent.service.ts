import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { decisionEventSchema, type Decision } from '@vigil/contracts';
import { ensureStream, NatsClient, request } from '@vigil/messaging';
import { LOGGER, ReadinessRegistry, type Logger } from '@vigil/observability';
import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { SELF_HEALING_CONFIG } from '../config/self-healing.tokens';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { fromDecision, isEnforced } from '../decisions/decision.transitions';
import { type DecisionExecutor } from '../executors/decision.executor';
import { selfHealingTopology } from '../messaging/self-healing.topology';

export const NODE_EXECUTOR = Symbol('NODE_EXECUTOR');

const PAGE = 1000;

/**
 * The node agent: keeps this node's firewall in step with the decisions the service owns.
 * An ordered ephemeral consumer of `decisions.>` (started first, so nothing published during
 * the initial read is missed), then the active decisions over request/reply and one atomic
 * reconcile, then every event in order; versions make stale events harmless. A periodic full
 * re-read repairs anything a lost event or a failed apply left behind. Until the first read
 * succeeds the kernel is left as it is (its elements keep their own timeouts): a node agent
 * that cannot reach the service never unbans.
 */
@Injectable()
export class NodeAgentService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly versions = new Map<string, number>();
  private readonly topology: ReturnType<typeof selfHealingTopology>;
  private chain: Promise<void> = Promise.resolve();
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private synced = false;
  private stopping = false;

  constructor(
    @Inject(SELF_HEALING_CONFIG) private readonly config: SelfHealingConfig,
    @Inject(NODE_EXECUTOR) private readonly executor: DecisionExecutor,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly nats: NatsClient,
    readiness: ReadinessRegistry,
  ) {
    this.topology = selfHealingTopology(config.pipelinePrefix);
    readiness.register('nats', async () => {
      if (!this.nats.isConnected()) throw new Error('not connected to NATS');
    });
    readiness.register('decisions-synced', async () => {
      if (!this.synced) throw new Error('active decisions not read from self-healing yet');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureStream(await this.nats.manager(), { ...this.topology.decisionsStream, storage: 'file' });
    const consumer = await this.nats.jetstream.consumers.get(this.topology.decisionsStream.name, { deliver_policy: DeliverPolicy.New });
    this.messages = await consumer.consume();
    const messages = this.messages;
    this.loop = (async () => {
      for await (const msg of messages) this.enqueue(() => this.onEvent(msg.json()));
    })().catch((err: unknown) => this.logger.error({ err }, 'decision events stopped'));
    this.enqueue(() => this.resync());
    this.timer = setInterval(() => this.enqueue(() => this.resync()), this.config.nodeResyncMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.messages?.close();
    await this.loop;
    await this.chain;
  }

  /** Resolves once everything queued so far has run (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  get isSynced(): boolean {
    return this.synced;
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => this.logger.error({ err }, 'node executor step failed'));
  }

  /** Reads every active decision and makes the kernel hold exactly those. */
  async resync(): Promise<void> {
    if (this.stopping) return;
    let active: Decision[];
    try {
      active = await this.listActive();
    } catch (err) {
      this.logger.warn({ err }, 'cannot read active decisions from self-healing; kernel left as it is');
      return;
    }
    const enforced = active.map(fromDecision).filter(isEnforced);
    await this.executor.reconcile(enforced, new Date());
    for (const d of active) this.versions.set(d.id, Math.max(d.version, this.versions.get(d.id) ?? 0));
    if (!this.synced) this.logger.info({ enforced: enforced.length }, 'node kernel reconciled with the active decisions');
    this.synced = true;
  }

  private async listActive(): Promise<Decision[]> {
    const all: Decision[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await request<Decision[]>(this.nats.connection, {
        subject: this.topology.request('listDecisions'), payload: { status: ['active'], limit: PAGE, offset }, timeoutMs: 5_000,
      });
      all.push(...page);
      if (page.length < PAGE) return all;
    }
  }

  private async onEvent(raw: unknown): Promise<void> {
    const parsed = decisionEventSchema.safeParse(raw);
    if (!parsed.success || parsed.data.event !== 'decision') return;
    const { decision } = parsed.data;
    if ((this.versions.get(decision.id) ?? 0) >= decision.version) return;
    this.versions.set(decision.id, decision.version);
    const entity = fromDecision(decision);
    if (isEnforced(entity)) await this.executor.apply(entity, new Date());
    else if (decision.status !== 'simulated' && decision.status !== 'pending-approval') await this.executor.withdraw(entity);
  }
}
