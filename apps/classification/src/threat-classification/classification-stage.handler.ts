import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type ContractId, type DetectionBatchMessage, type PipelineTopology, CONTRACT_HEADERS, decodeDetectionBatchMessage } from '@vigil/contracts';
import { type MicroBatchConsumer, type ModelRunner, StageMetrics, type StageItem, loadShippedModels, startMicroBatchConsumer } from '@vigil/inference';
import { NatsClient, PublishWindow, ensureDurableConsumer, ensureStream } from '@vigil/messaging';
import { LOGGER, type Logger, Metrics, ReadinessRegistry } from '@vigil/observability';
import { type StageSettings } from '../config/stage.config';
import { ThreatClassificationService } from './threat-classification.service';

export const CLASSIFICATION_SETTINGS = Symbol('CLASSIFICATION_SETTINGS');
export const CLASSIFICATION_DURABLE = 'classification';
const CONTRACTS: readonly ContractId[] = ['nsl-kdd', 'cicflowmeter'];

/**
 * Loads the classification model of every contract, then consumes `detections.>` in
 * micro-batches, classifies the flagged flows and stores one threat batch per detection batch
 * that flagged any in `threats.<contract>` before acking it. A missing or
 * invalid model keeps the service unready (the `models` check says why) and consumes nothing.
 */
@Injectable()
export class ClassificationStageHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private models = new Map<ContractId, ModelRunner>();
  private modelError: Error | undefined = new Error('models not loaded yet');
  private consumer: MicroBatchConsumer | undefined;
  private classifying: ThreatClassificationService | undefined;
  private readonly stageMetrics: StageMetrics;

  constructor(
    private readonly nats: NatsClient,
    readiness: ReadinessRegistry,
    @Inject(CLASSIFICATION_SETTINGS) private readonly settings: StageSettings & { topology: PipelineTopology },
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.stageMetrics = new StageMetrics(metrics, 'classification');
    readiness.register('models', async () => {
      if (this.modelError !== undefined) throw this.modelError;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      this.models = await loadShippedModels({ modelsDir: this.settings.modelsDir, task: 'classify', contracts: CONTRACTS });
      this.modelError = undefined;
    } catch (err) {
      this.modelError = err as Error;
      this.logger.error({ err }, 'classification models could not be loaded; not consuming detections');
      return;
    }
    this.logger.info({ models: [...this.models.values()].map((m) => m.ref) }, 'classification models loaded');
    this.classifying = new ThreatClassificationService({
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
    for (const s of [topology.streams.DETECTIONS, topology.streams.THREATS, topology.streams.DLQ]) await ensureStream(jsm, { ...s, storage: 'file' });
    await ensureDurableConsumer(jsm, { stream: topology.streams.DETECTIONS.name, durable: CLASSIFICATION_DURABLE, ackWaitMs, maxDeliver, maxAckPending: 256 });
    this.consumer = await startMicroBatchConsumer<DetectionBatchMessage>({
      js: this.nats.jetstream, stream: topology.streams.DETECTIONS.name, durable: CLASSIFICATION_DURABLE,
      maxFlows: this.settings.batchMaxFlows, maxWaitMs: this.settings.batchMaxWaitMs,
      decode: (msg) => {
        const message = decodeDetectionBatchMessage(msg.data);
        this.stageMetrics.received(message.contract.id, message.header.flagged.length, msg.info.deliveryCount > 1);
        return { value: message, flows: message.header.flagged.length };
      },
      process: (items) => this.process(items),
      deadLetterSubject: topology.deadLetter(topology.streams.DETECTIONS.name, CLASSIFICATION_DURABLE),
      logger: this.logger, onLag: (lag) => this.stageMetrics.lag(lag),
    });
  }

  private async process(items: readonly StageItem<DetectionBatchMessage>[]): Promise<void> {
    const results = await (this.classifying as ThreatClassificationService).classify(items.map((i) => i.value));
    const window = new PublishWindow(this.nats.jetstream, { maxInFlight: 256 });
    for (const r of results) {
      await window.publish({
        subject: r.subject, payload: r.payload, msgId: r.msgId, correlationId: r.correlationId,
        headers: { [CONTRACT_HEADERS.Contract]: r.contract, [CONTRACT_HEADERS.PayloadType]: 'threat-batch.v1' },
      });
    }
    await window.flush();
    for (const r of results) this.stageMetrics.stored({ contract: r.contract, flows: r.threats, ingestedAt: r.ingestedAt });
  }
}
