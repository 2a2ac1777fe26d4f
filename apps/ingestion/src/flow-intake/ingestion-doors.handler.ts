import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type ContractId, isContractId, UPLOAD_HEADERS } from '@vigil/contracts';
import {
  type Delivery, NatsClient, Poison, type PullConsumerHandle, type ReplyServer, type RequestContext, ensureDurableConsumer, ensureStream, serveRequests, startPullConsumer,
} from '@vigil/messaging';
import { LOGGER, type Logger, Metrics } from '@vigil/observability';
import { UploadJobsHandler } from '../upload-jobs/upload-jobs.handler';
import { INGESTION_CONFIG, INGESTION_TOPOLOGY, type IngestionSettings } from './flow-intake.config';
import { type IngestCounters, submitFlowsRequestSchema } from './flow-intake.schemas';
import { IngestionService } from './ingestion.service';

export const INGEST_DURABLE = 'ingestion';
/** Header of an `ingest.<contract>` CSV chunk that carries no header line of its own. */
export const CSV_HEADER_HEADER = 'Vigil-Csv-Header';
export const SENSOR_HEADER = 'Vigil-Sensor';

/** NATS adapters of the two message doors: they validate, call the service, ack or reply. */
@Injectable()
export class IngestionDoorsHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: PullConsumerHandle | undefined;
  private replies: ReplyServer | undefined;
  private readonly rows;

  constructor(
    private readonly nats: NatsClient,
    private readonly service: IngestionService,
    @Inject(INGESTION_CONFIG) private readonly settings: IngestionSettings,
    @Inject(INGESTION_TOPOLOGY) private readonly topology: IngestionSettings['topology'],
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
    private readonly uploadJobs: UploadJobsHandler,
  ) {
    this.rows = metrics.counter({ name: 'vigil_ingest_rows_total', help: 'Rows received by ingestion, by door and outcome', labelNames: ['contract', 'door', 'status'] });
  }

  async onApplicationBootstrap(): Promise<void> {
    const jsm = await this.nats.manager();
    const { INGEST, FLOWS, DLQ } = this.topology.streams;
    for (const s of [INGEST, FLOWS, DLQ]) await ensureStream(jsm, { ...s, storage: 'file' });
    // Failures other than poison (Postgres or NATS away) are retried with backoff capped at 30 s,
    // up to INGEST_MAX_DELIVER deliveries (30: ~12 minutes) before the chunk is dead-lettered.
    await ensureDurableConsumer(jsm, { stream: INGEST.name, durable: INGEST_DURABLE, ackWaitMs: 30_000, maxDeliver: this.settings.maxDeliver, maxAckPending: 64 });
    this.consumer = await startPullConsumer({
      js: this.nats.jetstream, stream: INGEST.name, durable: INGEST_DURABLE, handler: (d) => this.onChunk(d),
      // An unconfirmed ack that is lost only redelivers the chunk: its batch ids and flow ids dedupe it.
      batchSize: 16, expiresMs: 1_000, confirmAcks: false, concurrency: this.settings.concurrency, deadLetterSubject: this.topology.deadLetter(INGEST.name, INGEST_DURABLE), logger: this.logger,
    });
    this.replies = serveRequests(this.nats.connection, {
      subject: this.topology.subjects.submit, queue: 'ingestion', handler: (payload, ctx) => this.onSubmit(payload, ctx), logger: this.logger,
    });
    await this.nats.connection.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.replies?.stop();
    await this.consumer?.stop();
  }

  private async onSubmit(payload: unknown, ctx: RequestContext): Promise<unknown> {
    const request = submitFlowsRequestSchema.parse(payload);
    const reply = await this.service.submitRecords(request, { sensor: request.sensor ?? this.settings.defaultSensor, correlationId: ctx.correlationId ?? ctx.msg.subject });
    this.count(request.contract, 'submit', reply);
    return reply;
  }

  private async onChunk(delivery: Delivery): Promise<void> {
    const contract = delivery.subject.split('.').pop() ?? '';
    if (!isContractId(contract)) throw new Poison(`no contract named "${contract}"`, { code: 'INGESTION.UNKNOWN_CONTRACT' });
    const csvHeader = delivery.headers?.get(CSV_HEADER_HEADER) || undefined;
    const jobId = delivery.headers?.get(UPLOAD_HEADERS.JobId) || undefined;
    if (jobId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(jobId)) {
      throw new Poison(`not a job id: "${jobId.slice(0, 64)}"`, { code: 'INGESTION.BAD_JOB_ID' });
    }
    const claimed: string[] = [];
    const report = await this.service.ingestText({
      contract, text: new TextDecoder().decode(delivery.data), csvHeader, batchScope: jobId, claimed,
      sensor: delivery.headers?.get(SENSOR_HEADER) || this.settings.defaultSensor,
      correlationId: delivery.correlationId ?? `${delivery.subject}:${delivery.streamSequence}`,
    });
    this.count(contract, 'stream', report);
    if (jobId !== undefined) {
      try {
        await this.uploadJobs.onJobChunk({
          jobId, contract, report, seq: Number(delivery.headers?.get(UPLOAD_HEADERS.ChunkSeq) || 0),
          rowOffset: Number(delivery.headers?.get(UPLOAD_HEADERS.RowOffset) || 0), fileName: delivery.headers?.get(UPLOAD_HEADERS.FileName) || null,
        });
      } catch (err) {
        // Redelivered, the chunk publishes the same batch ids (stored once) and must count its
        // rows as accepted again, on this instance too: its flow ids are not duplicates yet.
        this.service.release(claimed);
        throw err;
      }
      return;
    }
    if (report.errors.length > 0) {
      const body = { subject: delivery.subject, streamSequence: delivery.streamSequence, rejected: report.rejected, errors: report.errors };
      this.nats.connection.publish(this.topology.subjects.rejected(contract), JSON.stringify(body));
    }
  }

  private count(contract: ContractId, door: string, c: IngestCounters): void {
    this.rows.inc({ contract, door, status: 'accepted' }, c.accepted);
    this.rows.inc({ contract, door, status: 'duplicate' }, c.duplicates);
    this.rows.inc({ contract, door, status: 'rejected' }, c.rejected);
  }
}
