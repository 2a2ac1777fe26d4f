import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type ContractId, type FlowBatchMessage, type PipelineTopology, CONTRACT_HEADERS, decodeFlowBatchMessage } from '@vigil/contracts';
import { type MicroBatchConsumer, type ModelRunner, StageMetrics, type StageItem, loadShippedModels, startMicroBatchConsumer } from '@vigil/inference';
import { NatsClient, PublishWindow, ensureDurableConsumer, ensureStream } from '@vigil/messaging';
import { LOGGER, type Logger, Metrics, ReadinessRegistry } from '@vigil/observability';
import { type StageSettings } from '../config/stage.config';
import { FlowScoringService } from './flow-scoring.service';

export const DETECTION_SETTINGS = Symbol('DETECTION_SETTINGS');
export const DETECTION_DURABLE = 'detection';
const CONTRACTS: readonly ContractId[] = ['nsl-kdd', 'cicflowmeter'];

/**
 * Loads the detection model of every contract, then consumes `flows.>` in micro-batches and
 * stores one result per input batch in `detections.<contract>` before acking it. A missing or
 * invalid model keeps the service unready (the `models` check says why) and consumes nothing.
 */
@Injectable()
export class DetectionStageHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private models = new Map<ContractId, ModelRunner>();
  private modelError: Error | undefined = new Error('models not loaded yet');
  private consumer: MicroBatchConsumer | undefined;
  private scoring: FlowScoringService | undefined;
  private readonly stageMetrics: StageMetrics;

  constructor(
    private readonly nats: NatsClient,
    readiness: ReadinessRegistry,
    @Inject(DETECTION_SETTINGS) private readonly settings: StageSettings & { topology: PipelineTopology },
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.stageMetrics = new StageMetrics(metrics, 'detection');
    readiness.register('models', async () => {
      if (this.modelError !== undefined) throw this.modelError;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      this.models = await loadShippedModels({ modelsDir: this.settings.modelsDir, task: 'detect', contracts: CONTRACTS });
      this.modelError = undefined;
    } catch (err) {
      this.modelError = err as Error;
      this.logger.error({ err }, 'detection models could not be loaded; not consuming flows');
      return;
    }
    this.logger.info({ models: [...this.models.values()].map((m) => m.ref) }, 'detection models loaded');
    this.scoring = new FlowScoringService({
      models: this.models, topology: this.settings.topology,
      onInference: ({ model, rows, seconds }) => this.stageMetrics.call(rows, model.ref, seconds),
    });
    await this.startConsumer();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await Promise.all([...this.models.values()].map((m) => m.release()));
  }

  private async startConsumer(): Promise<void> {
    const { topology, ackWaitMs, maxDeliver } = this.settings;
    const jsm = await this.nats.manager();
    for (const s of [topology.streams.FLOWS, topology.streams.DETECTIONS, topology.streams.DLQ]) await ensureStream(jsm, { ...s, storage: 'file' });
    await ensureDurableConsumer(jsm, { stream: topology.streams.FLOWS.name, durable: DETECTION_DURABLE, ackWaitMs, maxDeliver, maxAckPending: 256 });
    this.consumer = await startMicroBatchConsumer<FlowBatchMessage>({
      js: this.nats.jetstream, stream: topology.streams.FLOWS.name, durable: DETECTION_DURABLE,
      maxFlows: this.settings.batchMaxFlows, maxWaitMs: this.settings.batchMaxWaitMs,
      decode: (msg) => {
        const message = decodeFlowBatchMessage(msg.data);
        this.stageMetrics.received(message.contract.id, message.header.count, msg.info.deliveryCount > 1);
        return { value: message, flows: message.header.count };
      },
      process: (items) => this.process(items),
      deadLetterSubject: topology.deadLetter(topology.streams.FLOWS.name, DETECTION_DURABLE),
      logger: this.logger, onLag: (lag) => this.stageMetrics.lag(lag),
    });
  }

  private async process(items: readonly StageItem<FlowBatchMessage>[]): Promise<void> {
    const results = await (this.scoring as FlowScoringService).score(items.map((i) => i.value));
    const window = new PublishWindow(this.nats.jetstream, { maxInFlight: 256 });
    for (const r of results) {
      await window.publish({
        subject: r.subject, payload: r.payload, msgId: r.msgId, correlationId: r.correlationId,
        headers: { [CONTRACT_HEADERS.Contract]: r.contract, [CONTRACT_HEADERS.PayloadType]: 'detection-batch.v1' },
      });
    }
    await window.flush();
    for (const r of results) this.stageMetrics.stored({ contract: r.contract, flows: r.flows, ingestedAt: r.ingestedAt });
  }
}
