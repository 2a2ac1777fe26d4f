import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type FormatDetection, type PipelineTopology, UPLOAD_HEADERS, CONTRACT_HEADERS } from '@vigil/contracts';
import { isVigilError, VigilError } from '@vigil/errors';
import { NatsClient, publishBatch } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { GATEWAY_CONFIG, GATEWAY_TOPOLOGY, type GatewayConfig } from '../config/gateway.config';
import { JOB_CORRELATION_PREFIX } from '../read-model/read-model.service';
import { chunkLines } from './csv-chunk.reader';
import { detectionComplete, jobCompletion } from './job-completion.policy';
import { JobProgressTracker } from './job-progress.tracker';
import { type SpooledFile, spooledText, UploadSpool } from './upload-spool.service';
import { UploadsRepository } from './uploads.repository';

/** No progress for this long (ingestion gone, scoring stuck) ends a job as failed. */
export const STALL_MS = 120_000;
const OVERSIZE_KEEP = 1024;
const POLL_MS = 250;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface IngestArgs {
  jobId: string;
  file: SpooledFile;
  detection: FormatDetection;
  /** The file's header line as written (it travels with every chunk). */
  headerLine: string;
}

class StalledError extends VigilError {
  constructor(stage: string) {
    super({ code: 'UPLOAD.STALLED', kind: 'unavailable', message: `no ${stage} progress for ${STALL_MS / 1000} s; the job was given up` });
  }
}

/**
 * Moves a spooled upload through ingestion: line-aligned chunks on JetStream `ingest.<contract>`
 * (`Nats-Msg-Id = <jobId>:<seq>`, so a retried publish is stored once), never more than
 * `inFlightChunks` ahead of what ingestion has processed; then waits for the pipeline's
 * predictions of the accepted rows and the threat results of the flagged ones (see jobCompletion).
 */
@Injectable()
export class UploadIngestService implements OnApplicationShutdown {
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly nats: NatsClient,
    private readonly tracker: JobProgressTracker,
    private readonly repository: UploadsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_TOPOLOGY) private readonly topology: PipelineTopology,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  start(args: IngestArgs & { spool: UploadSpool }): void {
    const run = this.run(args)
      .catch(async (err: unknown) => {
        this.logger.warn({ err, jobId: args.jobId }, 'upload job failed');
        const error = isVigilError(err) ? err.toJSON() : { code: 'UPLOAD.FAILED', message: 'the job failed; see the gateway log', details: {} };
        await this.repository.update(args.jobId, { state: 'failed', error, finishedAt: new Date() });
      })
      .catch((err: unknown) => this.logger.error({ err, jobId: args.jobId }, 'could not record a failed upload job'))
      .finally(() => {
        this.running.delete(args.jobId);
        this.tracker.forget(args.jobId);
        void args.spool.remove(args.file.path);
      });
    this.running.set(args.jobId, run);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(args: IngestArgs): Promise<void> {
    const { jobId } = args;
    const total = await this.publishChunks(args);
    await this.repository.update(jobId, { chunksTotal: total, chunksPublished: total });
    await this.until('ingestion', async () => (await this.tracker.waitForChunks(jobId, total)) >= total, () => this.tracker.ask(jobId).then((j) => j?.chunks ?? 0));
    await this.repository.update(jobId, { state: 'scoring', ingestedAt: new Date() });
    const accepted = (await this.tracker.ask(jobId))?.counters.accepted ?? 0;
    await this.until('scoring', async () => {
      if (detectionComplete(accepted, await this.repository.countPredictions(jobId))) return true;
      await pause(POLL_MS);
      return false;
    }, async () => (await this.repository.countPredictions(jobId)).flows);
    const pending = await this.awaitClassification(jobId, accepted);
    if (pending > 0) this.logger.warn({ jobId, classificationPending: pending }, 'upload job completed with flagged rows still unclassified');
    await this.repository.update(jobId, { state: 'completed', finishedAt: new Date() });
  }

  /** Waits (at most the grace) for the threat results of the rows the detector flagged; the number still missing. */
  private async awaitClassification(jobId: string, accepted: number): Promise<number> {
    const since = Date.now();
    for (;;) {
      const verdict = jobCompletion({
        accepted, counts: await this.repository.countPredictions(jobId), waitedMs: Date.now() - since, graceMs: this.config.upload.classifyGraceMs,
      });
      if (verdict.done) return verdict.classificationPending;
      if (this.stopping) throw new VigilError({ code: 'UPLOAD.INTERRUPTED', kind: 'unavailable', message: 'the gateway stopped during classification' });
      await pause(POLL_MS);
    }
  }

  private async publishChunks(args: IngestArgs): Promise<number> {
    const { jobId, detection } = args;
    const { chunkBytes, inFlightChunks } = this.config.upload;
    const headers: Record<string, string> = {
      [UPLOAD_HEADERS.JobId]: jobId,
      [CONTRACT_HEADERS.Contract]: detection.contract.id,
      ...(detection.hasHeader ? { 'Vigil-Csv-Header': args.headerLine } : {}),
    };
    let published = 0;
    const chunks = chunkLines(spooledText(args.file), {
      chunkBytes, skipFirstLine: detection.hasHeader, onOversizeLine: (_line, _length) => Buffer.alloc(OVERSIZE_KEEP, 'x'),
    });
    for await (const chunk of chunks) {
      if (this.stopping) throw new VigilError({ code: 'UPLOAD.INTERRUPTED', kind: 'unavailable', message: 'the gateway stopped while sending this job; upload it again' });
      const need = chunk.seq + 1 - inFlightChunks;
      if (need > 0) await this.until('ingestion', async () => (await this.tracker.waitForChunks(jobId, need)) >= need, async () => 0);
      await publishBatch(this.nats.jetstream, {
        subject: this.topology.subjects.ingest(detection.contract.id), payload: chunk.text, msgId: `${jobId}:${chunk.seq}`,
        correlationId: `${JOB_CORRELATION_PREFIX}${jobId}`,
        headers: { ...headers, [UPLOAD_HEADERS.ChunkSeq]: String(chunk.seq), [UPLOAD_HEADERS.RowOffset]: String(chunk.rowOffset) },
      });
      published++;
      if (published % 16 === 0) await this.repository.update(jobId, { chunksPublished: published });
    }
    return published;
  }

  /** Repeats `step` until it says done; fails when `progress` stops moving for STALL_MS. */
  private async until(stage: string, step: () => Promise<boolean>, progress: () => Promise<number>): Promise<void> {
    let last = -1;
    let movedAt = Date.now();
    while (!(await step())) {
      if (this.stopping) throw new VigilError({ code: 'UPLOAD.INTERRUPTED', kind: 'unavailable', message: `the gateway stopped during ${stage}` });
      const now = await progress();
      if (now !== last) {
        last = now;
        movedAt = Date.now();
      } else if (Date.now() - movedAt > STALL_MS) {
        throw new StalledError(stage);
      }
    }
  }
}
