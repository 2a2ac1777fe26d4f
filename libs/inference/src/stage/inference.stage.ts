// The machinery every inference stage shares: its models (registry-following, per contract),
// its durable pull consumer feeding micro-batches, result publishing (acks only after every
// PubAck), shadow results on core NATS, metrics and readiness. A stage app supplies only what
// differs: how an input message decodes and how a micro-batch becomes result messages.
import { type ContractId, type ModelRef, type ModelTask, type PipelineTopology, CONTRACT_HEADERS, pipelineTopology } from '@vigil/contracts';
import { type NatsClient, PublishWindow, ensureDurableConsumer, ensureStream } from '@vigil/messaging';
import { type Metrics, type ReadinessRegistry } from '@vigil/observability';
import { type MicroBatchConsumer, type StageItem, startMicroBatchConsumer } from '../micro-batch.consumer';
import { StageMetrics } from '../stage.metrics';
import { type StageSettings } from './stage.config';
import { StageModelSet, type StageModelsLogger } from './stage.models';
import { StageDrift } from './stage.drift';
import { ThreatExplainer } from '../explain/threat.explainer';
import { type PrepareVersion } from '../model-registry-client/served-models';

/** One result message, stored in the stage's output stream before its input is acked. */
export interface StageResult {
  readonly subject: string;
  /** `<input batchId>:<stage>`: a redelivered input cannot store a second result. */
  readonly msgId: string;
  readonly payload: Uint8Array;
  readonly contract: ContractId;
  /** Flows this result reports (metrics). */
  readonly flows: number;
  readonly ingestedAt: string;
  readonly correlationId: string;
}

/** A shadow model's answer: published on core NATS under `shadow.`, outside every stream. */
export interface ShadowResult {
  readonly subject: string;
  readonly payload: Uint8Array;
}

export interface StageScorerDeps {
  readonly models: Pick<StageModelSet, 'runFlows'>;
  readonly topology: PipelineTopology;
  readonly onInference: (args: { model: ModelRef; rows: number; seconds: number }) => void;
}

export interface StageScorer<T> {
  score(values: readonly T[]): Promise<{ results: StageResult[]; shadow: ShadowResult[] }>;
}

/** What one stage app declares. */
export interface StageSpec<T> {
  readonly stage: string;
  readonly task: ModelTask;
  readonly contracts: readonly ContractId[];
  readonly durable: string;
  readonly input: 'FLOWS' | 'DETECTIONS';
  readonly output: 'DETECTIONS' | 'THREATS';
  readonly payloadType: string;
  /** Build a Saabas explainer beside every served version (ServedPart.addons.explainer), unless EXPLANATIONS=off. */
  readonly explain?: boolean;
  /** Watch the drift of every served version's inputs (PSI gauges, drift requests and alerts), unless DRIFT=off. */
  readonly drift?: boolean;
  /** Throws on a message that can never be processed (it is dead-lettered). */
  decode(data: Uint8Array): { value: T; flows: number; contract: ContractId };
  scorer(deps: StageScorerDeps): StageScorer<T>;
}

export interface InferenceStageDeps<T> {
  readonly spec: StageSpec<T>;
  readonly settings: StageSettings;
  readonly nats: NatsClient;
  readonly instance: string;
  readonly logger: StageModelsLogger;
  readonly metrics: Metrics;
  readonly readiness: ReadinessRegistry;
}

export class InferenceStage<T> {
  readonly topology: PipelineTopology;
  private readonly stageMetrics: StageMetrics;
  private models: StageModelSet | undefined;
  private consumer: MicroBatchConsumer | undefined;
  private scorer: StageScorer<T> | undefined;
  private drift: StageDrift | undefined;
  private stopping = false;
  private scoring: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: InferenceStageDeps<T>) {
    this.topology = pipelineTopology(deps.settings.pipelinePrefix);
    this.stageMetrics = new StageMetrics(deps.metrics, deps.spec.stage);
    deps.readiness.register('models', async () => {
      const problem = this.models === undefined ? new Error('models not loaded yet') : this.models.problem();
      if (problem !== undefined) throw problem;
    });
  }

  /** Resolves once consuming (or once it is clear the models cannot load); never blocks on an absent registry. */
  async start(): Promise<void> {
    const { spec, nats, settings, logger } = this.deps;
    if (spec.drift === true && settings.drift.enabled) {
      this.drift = new StageDrift({ stage: spec.stage, replica: `${spec.stage}-${this.deps.instance}`, settings: settings.drift, topology: this.topology, nats, metrics: this.deps.metrics, logger });
      await this.drift.start();
    }
    this.models = StageModelSet.start({
      task: spec.task, contracts: spec.contracts, settings, connection: nats.connection, jetstream: nats.jetstream,
      service: spec.stage, instance: this.deps.instance, logger, prepare: this.prepare(),
    });
    try {
      await this.models.ready;
    } catch {
      return;
    }
    if (this.stopping) return;
    this.scorer = spec.scorer({
      models: this.models, topology: this.topology,
      onInference: ({ model, rows, seconds }) => this.stageMetrics.call(rows, model, seconds),
    });
    await this.startConsumer();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.stop();
    await this.drift?.stop();
    await this.models?.stop();
  }

  // Off the hot path: a version's explainer and drift monitor exist before it can serve a batch.
  private prepare(): PrepareVersion | undefined {
    const explain = this.deps.spec.explain === true && this.deps.settings.explanations;
    const drift = this.drift;
    if (!explain && drift === undefined) return undefined;
    return async (runner) => {
      const explainer = explain ? await ThreatExplainer.create(runner) : undefined;
      const watched = drift?.watch(runner) ?? {};
      return { ...(explainer ? { explainer } : {}), ...watched };
    };
  }

  private async startConsumer(): Promise<void> {
    const { spec, settings, nats } = this.deps;
    const { streams } = this.topology;
    const jsm = await nats.manager();
    const events = this.drift === undefined ? [] : [streams.EVENTS];
    for (const s of [streams[spec.input], streams[spec.output], streams.DLQ, ...events]) await ensureStream(jsm, { ...s, storage: 'file' });
    const input = streams[spec.input].name;
    await ensureDurableConsumer(jsm, { stream: input, durable: spec.durable, ackWaitMs: settings.ackWaitMs, maxDeliver: settings.maxDeliver, maxAckPending: Math.max(256, settings.pullAhead * 2) });
    this.consumer = await startMicroBatchConsumer<T>({
      js: nats.jetstream, stream: input, durable: spec.durable, maxFlows: settings.batchMaxFlows, maxWaitMs: settings.batchMaxWaitMs, pullAhead: settings.pullAhead, concurrency: settings.concurrency,
      decode: (msg) => {
        const { value, flows, contract } = spec.decode(msg.data);
        this.stageMetrics.received(contract, flows, msg.info.deliveryCount > 1);
        return { value, flows };
      },
      process: (items) => this.process(items),
      deadLetterSubject: this.topology.deadLetter(input, spec.durable),
      logger: this.deps.logger, onLag: (lag) => this.stageMetrics.lag(lag),
    });
    this.deps.logger.info({ stage: spec.stage, stream: input, durable: spec.durable }, 'consuming');
  }

  private async process(items: readonly StageItem<T>[]): Promise<void> {
    // Scoring is one at a time (runners and scorers reuse their buffers); what a score returns
    // is encoded bytes, so with STAGE_CONCURRENCY > 1 only the PubAck waits overlap the next score.
    const scored = this.scoring.then(() => (this.scorer as StageScorer<T>).score(items.map((i) => i.value)));
    this.scoring = scored.catch(() => undefined);
    const { results, shadow } = await scored;
    const window = new PublishWindow(this.deps.nats.jetstream, { maxInFlight: 256 });
    for (const r of results) {
      await window.publish({
        subject: r.subject, payload: r.payload, msgId: r.msgId, correlationId: r.correlationId,
        headers: { [CONTRACT_HEADERS.Contract]: r.contract, [CONTRACT_HEADERS.PayloadType]: this.deps.spec.payloadType },
      });
    }
    await window.flush();
    for (const s of shadow) this.deps.nats.connection.publish(s.subject, s.payload);
    for (const r of results) this.stageMetrics.stored({ contract: r.contract, flows: r.flows, ingestedAt: r.ingestedAt });
  }
}
