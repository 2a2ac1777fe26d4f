import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import {
  addAllowlistRequestSchema, createDecisionRequestSchema, decisionIdRequestSchema, decisionStreamRequestSchema,
  decisionTransitionRequestSchema, deletePolicyRequestSchema, detectorHealthRequestSchema, listDecisionsRequestSchema,
  removeAllowlistRequestSchema, setSimulationRequestSchema, upsertPolicyRequestSchema,
} from '@vigil/contracts';
import { NatsClient, Poison, ensureDurableConsumer, ensureStream, serveRequests, startPullConsumer, type PullConsumerHandle, type ReplyServer } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { AllowlistService } from '../allowlist/allowlist.service';
import { CLOCK, SELF_HEALING_CONFIG, type Clock } from '../config/self-healing.tokens';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { DecisionCommandsService } from '../decisions/decision-commands.service';
import { DecisionLifecycleService } from '../decisions/decision-lifecycle.service';
import { DecisionStreamService } from '../decisions/decision-stream.service';
import { ThreatDecisionService } from '../decisions/threat-decision.service';
import { PolicyService } from '../policy/policy.service';
import { SafetyStateService } from '../safety/safety-state.service';
import { asSelfHealingError } from '../self-healing.errors';
import { decodeThreatEvidence } from '../threats/threat-message.adapter';
import { parseRequest } from './request.parser';
import { selfHealingTopology, type RequestName } from './self-healing.topology';

type RequestHandler = (payload: unknown, subject: string) => Promise<unknown>;

/**
 * The NATS adapters: a durable consumer of `threats.>` and the request/reply commands the
 * gateway and CLI use. Each handler validates, calls a service and replies.
 */
@Injectable()
export class SelfHealingHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: PullConsumerHandle | undefined;
  private replies: ReplyServer[] = [];

  constructor(
    @Inject(SELF_HEALING_CONFIG) private readonly config: SelfHealingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly nats: NatsClient,
    private readonly lifecycle: DecisionLifecycleService,
    private readonly threats: ThreatDecisionService,
    private readonly commands: DecisionCommandsService,
    private readonly stream: DecisionStreamService,
    private readonly policies: PolicyService,
    private readonly allowlist: AllowlistService,
    private readonly safety: SafetyStateService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.lifecycle.start();
    const topology = selfHealingTopology(this.config.pipelinePrefix);
    const jsm = await this.nats.manager();
    for (const s of [topology.threatsStream, topology.decisionsStream, topology.dlqStream]) await ensureStream(jsm, { ...s, storage: 'file' });
    const durable = this.config.threatsDurable;
    await ensureDurableConsumer(jsm, { stream: topology.threatsStream.name, durable, ackWaitMs: 30_000, maxDeliver: 10, maxAckPending: 64 });
    this.replies = Object.entries(this.requestHandlers()).map(([name, handler]) => {
      const subject = topology.request(name as RequestName);
      const serve = (payload: unknown): Promise<unknown> => handler(payload, subject).catch((error: unknown) => {
        throw asSelfHealingError(error);
      });
      return serveRequests(this.nats.connection, { subject, queue: this.config.service, logger: this.logger, handler: serve });
    });
    await this.nats.connection.flush();
    this.consumer = await startPullConsumer({
      js: this.nats.jetstream, stream: topology.threatsStream.name, durable, batchSize: 16, expiresMs: 1_000,
      deadLetterSubject: topology.deadLetter(durable), logger: this.logger,
      handler: async (delivery) => {
        let evidence;
        try {
          evidence = decodeThreatEvidence(delivery.data);
        } catch (err) {
          throw new Poison(`not a threat batch: ${err instanceof Error ? err.message : String(err)}`, { code: 'SELF_HEALING.INVALID_THREAT_BATCH' });
        }
        const outcomes = await this.threats.handleThreats(evidence);
        this.logger.debug({ subject: delivery.subject, threats: evidence.length, ...outcomes }, 'threat batch evaluated');
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await Promise.all(this.replies.map((r) => r.stop()));
  }

  private requestHandlers(): Record<RequestName, RequestHandler> {
    const c = this.commands;
    return {
      listDecisions: async (p, s) => c.list(parseRequest(listDecisionsRequestSchema, p, s)),
      getDecision: async (p, s) => c.get(parseRequest(decisionIdRequestSchema, p, s).id),
      createDecision: async (p, s) => c.create(parseRequest(createDecisionRequestSchema, p, s)),
      approveDecision: async (p, s) => c.approve(parseRequest(decisionTransitionRequestSchema, p, s)),
      rejectDecision: async (p, s) => c.reject(parseRequest(decisionTransitionRequestSchema, p, s)),
      revokeDecision: async (p, s) => c.revoke(parseRequest(decisionTransitionRequestSchema, p, s)),
      getSimulation: async () => this.safety.getSimulation(),
      setSimulation: async (p, s) => this.safety.setSimulation(parseRequest(setSimulationRequestSchema, p, s)),
      listAllowlist: async () => this.allowlist.list(),
      addAllowlist: async (p, s) => {
        const entry = await this.allowlist.add({ ...parseRequest(addAllowlistRequestSchema, p, s), at: this.clock.now() });
        const actor = (p as { actor: string }).actor;
        return { entry, revoked: await this.commands.revokeCovered({ cidr: entry.cidr, actor }) };
      },
      removeAllowlist: async (p, s) => ({ removed: await this.allowlist.remove(parseRequest(removeAllowlistRequestSchema, p, s).cidr) }),
      listPolicies: async () => this.policies.list(),
      upsertPolicy: async (p, s) => {
        const { policy, actor } = parseRequest(upsertPolicyRequestSchema, p, s);
        return this.policies.upsert(policy, actor);
      },
      deletePolicy: async (p, s) => {
        const { contract, attackClass } = parseRequest(deletePolicyRequestSchema, p, s);
        await this.policies.remove(contract, attackClass);
        return { removed: true };
      },
      detectorHealth: async (p, s) => {
        await this.safety.signalDetector(parseRequest(detectorHealthRequestSchema, p, s));
        return this.safety.detector.status;
      },
      decisionStream: async (p, s) => this.stream.page(parseRequest(decisionStreamRequestSchema, p, s)),
    };
  }
}
