import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { type FormatDetection, type PipelineTopology, UPLOAD_HEADERS, CONTRACT_HEADERS } from '@vigil/contracts';
import { isVigilError, VigilError } from '@vigil/errors';
import { NatsClient, publishBatch } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { GATEWAY_CONFIG, GATEWAY_TOPOLOGY, type GatewayConfig } from '../config/gateway.config';
import { JOB_CORRELATION_PREFIX } from '../read-model/read-model.service';
import { chunkLines } from './csv-chunk.reader';
import { detectionComplete, jobCompletion } from './job-completion.policy';
import { JobProgressTracker } from './job-progress.tracker';
import { UploadLeases } from './upload-lease.service';
import { type SpooledFile, spooledText, type UploadSpool } from './upload-spool.service';
import { UploadsRepository } from './uploads.repository';

/** No progress for this long (ingestion gone, scoring stuck) ends a job as failed. */
export const STALL_MS = 120_000;
const OVERSIZE_KEEP = 1024;
const POLL_MS = 250;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What is left of a job: send the file from chunk `fromSeq` on, or only wait for ingestion and the results. */
export type IngestPlan =
  | { kind: 'publish'; file: SpooledFile; detection: FormatDetection; headerLine: string; fromSeq: number }
  | { kind: 'await'; chunksTotal: number };

class StalledError extends VigilError {
  constructor(stage: string) {
    super({ code: 'UPLOAD.STALLED', kind: 'unavailable', message: `no ${stage} progress for ${STALL_MS / 1000} s; the job was given up` });
  }
}

/** Not a failure: the run stops and the job stays unfinished for the next gateway (or the replica that took it over). */
class JobPaused extends Error {
  constructor(readonly why: 'stopping' | 'lease-lost') {
    super(`upload job paused: ${why}`);
  }
}

/**
 * Moves a spooled upload through ingestion: line-aligned chunks on JetStream `ingest.<contract>`
 * (`Nats-Msg-Id = <jobId>:<seq>`, so a retried publish is stored once), never more than
 * `inFlightChunks` ahead of what ingestion has processed; then waits for the pipeline's
 * predictions of the accepted rows and the threat results of the flagged ones (see jobCompletion).
 * A gateway stopping gracefully pauses its jobs (state and spooled file kept, lease released) for
 * the next one to resume (UploadResumeService).
 */
@Injectable()
export class UploadIngestService implements BeforeApplicationShutdown {
  private readonly running = new Map<string, Promise<void>>();
  /** Per running job: chunks published so far (of the whole file, in order). */
  private readonly sent = new Map<string, number>();
  private stopping = false;

  constructor(
    private readonly nats: NatsClient,
    private readonly tracker: JobProgressTracker,
    private readonly repository: UploadsRepository,
    private readonly leases: UploadLeases,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_TOPOLOGY) private readonly topology: PipelineTopology,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /** Runs the rest of a job this process holds the lease of, in the background. */
  start(args: { jobId: string; plan: IngestPlan; spool: UploadSpool }): void {
    const { jobId } = args;
    this.leases.hold(jobId);
    let ended = true;
    const run = this.run(jobId, args.plan)
      .catch(async (err: unknown) => {
        if (err instanceof JobPaused) {
          ended = false;
          this.logger.info({ jobId, why: err.why }, 'upload job paused; its spooled file is kept for the gateway that resumes it');
          if (err.why === 'stopping') await this.leases.release(jobId);
          return;
        }
        this.logger.warn({ err, jobId }, 'upload job failed');
        const error = isVigilError(err) ? err.toJSON() : { code: 'UPLOAD.FAILED', message: 'the job failed; see the gateway log', details: {} };
        await this.repository.update(jobId, { state: 'failed', error, finishedAt: new Date() });
      })
      .catch((err: unknown) => this.logger.error({ err, jobId }, 'could not record the end of an upload job'))
      .finally(() => {
        this.running.delete(jobId);
        this.tracker.forget(jobId);
        this.leases.drop(jobId);
        if (ended) void args.spool.remove(args.spool.pathOf(jobId));
      });
    this.running.set(jobId, run);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(jobId: string, plan: IngestPlan): Promise<void> {
    let total: number;
    if (plan.kind === 'publish') {
      total = await this.publishChunks(jobId, plan);
      await this.repository.update(jobId, { chunksTotal: total, chunksPublished: total });
    } else {
      total = plan.chunksTotal;
    }
    await this.until({
      jobId, stage: 'ingestion', step: async () => (await this.tracker.waitForChunks(jobId, total)) >= total, progress: () => this.tracker.ask(jobId).then((j) => j?.chunks ?? 0),
    });
    await this.repository.update(jobId, { state: 'scoring', ingestedAt: new Date() });
    const accepted = (await this.tracker.ask(jobId))?.counters.accepted ?? 0;
    await this.until({
      jobId, stage: 'scoring',
      step: async () => {
        if (detectionComplete(accepted, await this.repository.countPredictions(jobId))) return true;
        await pause(POLL_MS);
        return false;
      },
      progress: async () => (await this.repository.countPredictions(jobId)).flows,
    });
    const pending = await this.awaitClassification(jobId, accepted);
    if (pending > 0) this.logger.warn({ jobId, classificationPending: pending }, 'upload job completed with flagged rows still unclassified');
    await this.repository.update(jobId, { state: 'completed', finishedAt: new Date() });
  }

  /** Stops a run at its next step when the gateway is stopping or another replica took the job. */
  private checkpoint(jobId: string): void {
    if (this.stopping) throw new JobPaused('stopping');
    if (this.leases.isLost(jobId)) throw new JobPaused('lease-lost');
  }

  /** Waits (at most the grace) for the threat results of the rows the detector flagged; the number still missing. */
  private async awaitClassification(jobId: string, accepted: number): Promise<number> {
    const since = Date.now();
    for (;;) {
      const verdict = jobCompletion({
        accepted, counts: await this.repository.countPredictions(jobId), waitedMs: Date.now() - since, graceMs: this.config.upload.classifyGraceMs,
      });
      if (verdict.done) return verdict.classificationPending;
      this.checkpoint(jobId);
      await pause(POLL_MS);
    }
  }

  /**
   * Publishes the file's chunks from `fromSeq` on; the number of chunks of the whole file. Chunking
   * is deterministic, so a resumed job cuts the same chunks; one ingestion already has (sent
   * again past JetStream's duplicate window) counts once, per (job, seq), in ingestion.
   */
  private async publishChunks(jobId: string, plan: Extract<IngestPlan, { kind: 'publish' }>): Promise<number> {
    const { detection } = plan;
    const { chunkBytes } = this.config.upload;
    const headers: Record<string, string> = {
      [UPLOAD_HEADERS.JobId]: jobId,
      [CONTRACT_HEADERS.Contract]: detection.contract.id,
      ...(detection.hasHeader ? { 'Vigil-Csv-Header': plan.headerLine } : {}),
    };
    let total: number;
    const chunks = chunkLines(spooledText(plan.file), {
      chunkBytes, skipFirstLine: detection.hasHeader, onOversizeLine: (_line, _length) => Buffer.alloc(OVERSIZE_KEEP, 'x'),
    });
    try {
      total = await this.sendChunks({ jobId, chunks, fromSeq: plan.fromSeq, headers, contract: detection.contract.id });
    } catch (err) {
      // A damaged gzip keeps the rows before the damage: ingestion counts what was sent before the job fails.
      const sent = this.sent.get(jobId) ?? 0;
      if (isVigilError(err) && err.code === 'UPLOAD.BAD_GZIP' && sent > 0) {
        await this.until({ jobId, stage: 'ingestion', step: async () => (await this.tracker.waitForChunks(jobId, sent)) >= sent, progress: async () => (await this.tracker.ask(jobId))?.chunks ?? 0 });
        await this.repository.update(jobId, { chunksPublished: sent });
      }
      throw err;
    } finally {
      this.sent.delete(jobId);
    }
    return total;
  }

  private async sendChunks(args: { jobId: string; chunks: ReturnType<typeof chunkLines>; fromSeq: number; headers: Record<string, string>; contract: FormatDetection['contract']['id'] }): Promise<number> {
    const { jobId, headers } = args;
    const { inFlightChunks } = this.config.upload;
    let total = 0;
    for await (const chunk of args.chunks) {
      total = chunk.seq + 1;
      if (chunk.seq < args.fromSeq) {
        this.sent.set(jobId, total);
        continue;
      }
      this.checkpoint(jobId);
      const need = chunk.seq + 1 - inFlightChunks;
      if (need > 0) await this.until({ jobId, stage: 'ingestion', step: async () => (await this.tracker.waitForChunks(jobId, need)) >= need, progress: async () => 0 });
      await publishBatch(this.nats.jetstream, {
        subject: this.topology.subjects.ingest(args.contract), payload: chunk.text, msgId: `${jobId}:${chunk.seq}`,
        correlationId: `${JOB_CORRELATION_PREFIX}${jobId}`,
        headers: { ...headers, [UPLOAD_HEADERS.ChunkSeq]: String(chunk.seq), [UPLOAD_HEADERS.RowOffset]: String(chunk.rowOffset) },
      });
      this.sent.set(jobId, total);
      if (total % 16 === 0) await this.repository.update(jobId, { chunksPublished: total });
    }
    return total;
  }

  /** Repeats `step` until it says done; fails when `progress` stops moving for STALL_MS. */
  private async until(args: { jobId: string; stage: string; step: () => Promise<boolean>; progress: () => Promise<number> }): Promise<void> {
    let last = -1;
    let movedAt = Date.now();
    while (!(await args.step())) {
      this.checkpoint(args.jobId);
      const now = await args.progress();
      if (now !== last) {
        last = now;
        movedAt = Date.now();
      } else if (Date.now() - movedAt > STALL_MS) {
        throw new StalledError(args.stage);
      }
    }
  }
}
