import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { decodeDetectionBatchMessage, decodeThreatBatchMessage, type PipelineTopology, type UploadTopology } from '@vigil/contracts';
import { type Delivery, ensureDurableConsumer, ensureStream, NatsClient, type PullConsumerHandle, startPullConsumer } from '@vigil/messaging';
import { LOGGER, type Logger, Metrics } from '@vigil/observability';
import { GATEWAY_CONFIG, GATEWAY_TOPOLOGY, type GatewayConfig, UPLOAD_TOPOLOGY } from '../config/gateway.config';
import { toAlert } from '../alerts/alerts.repository';
import { ReadModelRepository } from './read-model.repository';
import { GroupCommitter } from './group-commit.service';
import { type AlertRecord, type DetectionRows, type ThreatRows, detectionRows, threatRows } from './read-model.service';

export const READ_MODEL_DURABLE = 'gateway';
const CLAIM_RETENTION_MS = 24 * 3600_000;
/** Result messages in process at once per stream; the ones waiting share the next transaction. */
const IN_FLIGHT = 32;

/**
 * Durable consumers of detections.* and threats.* shared by every gateway replica: each result
 * batch is written once (one transaction), then stored alerts are announced on core NATS so
 * every replica's WebSocket clients see them.
 */
@Injectable()
export class ReadModelHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumers: PullConsumerHandle[] = [];
  private pruner: NodeJS.Timeout | undefined;
  private readonly stored;
  private readonly detections: GroupCommitter<DetectionRows, boolean>;
  private readonly threats: GroupCommitter<ThreatRows, AlertRecord[]>;

  constructor(
    private readonly nats: NatsClient,
    private readonly repository: ReadModelRepository,
    @Inject(GATEWAY_TOPOLOGY) private readonly topology: PipelineTopology,
    @Inject(UPLOAD_TOPOLOGY) private readonly live: UploadTopology,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.detections = new GroupCommitter({ maxItems: IN_FLIGHT, commit: (batches) => this.repository.applyDetections(batches) });
    this.threats = new GroupCommitter({ maxItems: IN_FLIGHT, commit: (batches) => this.repository.applyThreatBatches(batches) });
    this.stored = metrics.counter({ name: 'vigil_gateway_read_model_rows_total', help: 'Result rows the read model stored', labelNames: ['kind'] });
  }

  async onApplicationBootstrap(): Promise<void> {
    const jsm = await this.nats.manager();
    const { DETECTIONS, THREATS, DLQ } = this.topology.streams;
    for (const s of [DETECTIONS, THREATS, DLQ]) await ensureStream(jsm, { ...s, storage: 'file' });
    for (const s of [DETECTIONS, THREATS]) {
      await ensureDurableConsumer(jsm, { stream: s.name, durable: READ_MODEL_DURABLE, ackWaitMs: 30_000, maxDeliver: 10, maxAckPending: 256 });
    }
    const common = { js: this.nats.jetstream, durable: READ_MODEL_DURABLE, batchSize: 64, expiresMs: 1_000, concurrency: IN_FLIGHT, logger: this.logger };
    this.consumers = [
      await startPullConsumer({ ...common, stream: DETECTIONS.name, handler: (d) => this.onDetection(d), deadLetterSubject: this.topology.deadLetter(DETECTIONS.name, READ_MODEL_DURABLE) }),
      await startPullConsumer({ ...common, stream: THREATS.name, handler: (d) => this.onThreats(d), deadLetterSubject: this.topology.deadLetter(THREATS.name, READ_MODEL_DURABLE) }),
    ];
    this.pruner = setInterval(() => void this.prune(), 3600_000);
    this.pruner.unref();
  }

  /** Hourly: batch claims past any redelivery, alerts and flow features past the retention. */
  private async prune(): Promise<void> {
    try {
      await this.repository.pruneClaims(new Date(Date.now() - CLAIM_RETENTION_MS));
      const dropped = await this.repository.pruneAlerts(new Date(Date.now() - this.config.alertRetentionDays * 86_400_000));
      if (dropped.alerts + dropped.features > 0) this.logger.info({ ...dropped, retentionDays: this.config.alertRetentionDays }, 'pruned alerts past retention');
    } catch (err) {
      this.logger.warn({ err }, 'pruning the read model failed');
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.pruner);
    for (const c of this.consumers) await c.stop();
  }

  private async onDetection(delivery: Delivery): Promise<void> {
    const rows = detectionRows(decodeDetectionBatchMessage(delivery.data));
    if (await this.detections.submit(rows)) this.stored.inc({ kind: 'prediction' }, rows.predictions.length);
  }

  private async onThreats(delivery: Delivery): Promise<void> {
    const rows = threatRows(decodeThreatBatchMessage(delivery.data));
    const inserted = await this.threats.submit(rows);
    this.stored.inc({ kind: 'alert' }, inserted.length);
    if (inserted.length > 0) this.announce(inserted);
  }

  private announce(alerts: readonly AlertRecord[]): void {
    const items = alerts.map((a) => toAlert({
      flow_id: a.flowId, at: a.at, contract: a.contract, sensor: a.sensor, batch_id: a.batchId, job_id: a.jobId,
      src_ip: a.envelope.srcIp ?? null, dst_ip: a.envelope.dstIp ?? null, src_port: a.envelope.srcPort ?? null, dst_port: a.envelope.dstPort ?? null,
      protocol: a.envelope.protocol === undefined ? null : String(a.envelope.protocol), envelope: { ...a.envelope }, attack_class: a.attackClass,
      probability: a.probability, top: a.top, detector_probability: a.detectorProbability, detector: a.detector, classifier: a.classifier,
      ingested_at: a.ingestedAt, detected_at: a.detectedAt, explanation: a.explanation,
    }));
    this.nats.connection.publish(this.live.liveAlerts, JSON.stringify({ alerts: items }));
  }
}
