import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type VigilError } from '@vigil/errors';
import { LOGGER, type Logger } from '@vigil/observability';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { JobProgressTracker } from './job-progress.tracker';
import { readUploadFormat } from './upload-format.reader';
import { type IngestPlan, UploadIngestService } from './upload-ingest.service';
import { UploadLeaseRepository, type UnleasedJob } from './upload-lease.repository';
import { UploadLeases } from './upload-lease.service';
import { resumeDecision, type UnfinishedJob } from './upload-resume.policy';
import { UploadSpool } from './upload-spool.service';
import { SpoolLostError, UploadCutOffError } from './uploads.errors';
import { UploadsRepository } from './uploads.repository';

const SCAN_BATCH = 100;

/**
 * Picks up upload jobs no gateway is running any more (a graceful stop released their lease, or
 * a crashed replica's lease ran out): at boot and every lease period, on every replica; the
 * conditional claim lets exactly one of them resume each job (see resumeDecision).
 */
@Injectable()
export class UploadResumeService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly spool: UploadSpool;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly leaseRepository: UploadLeaseRepository,
    private readonly leases: UploadLeases,
    private readonly repository: UploadsRepository,
    private readonly ingest: UploadIngestService,
    private readonly tracker: JobProgressTracker,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.spool = new UploadSpool(config.upload.spoolDir);
  }

  onApplicationBootstrap(): void {
    this.kick();
    this.timer = setInterval(() => this.kick(), this.config.upload.leaseMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.scanning;
  }

  /** One scan at a time; a failed scan is logged and the next period tries again. */
  private kick(): void {
    this.scanning = this.scanning.then(() => this.scan()).catch((err: unknown) => this.logger.warn({ err }, 'upload job resume scan failed'));
  }

  private async scan(): Promise<void> {
    for (const candidate of await this.leaseRepository.unleased(SCAN_BATCH)) {
      if (this.stopping) return;
      if (this.ingest.isRunning(candidate.job.id)) continue;
      await this.consider(candidate);
    }
  }

  private async consider(candidate: UnleasedJob): Promise<void> {
    const { job } = candidate;
    const file = job.state === 'ingesting' && job.sha256 !== null ? await this.spool.reopen({ id: job.id, bytes: job.bytes, sha256: job.sha256 }) : null;
    const unfinished: UnfinishedJob = {
      state: job.state as UnfinishedJob['state'], chunksTotal: job.chunksTotal, previousInstance: UploadLeases.instanceOf(candidate.leaseOwner), expiredForMs: candidate.expiredForMs,
    };
    const decision = resumeDecision(unfinished, { instance: this.config.instance, spoolPresent: file !== null, orphanGraceMs: this.config.upload.orphanGraceMs });
    if (decision.kind === 'leave') return;
    if (!(await this.leaseRepository.claim({ id: job.id, owner: this.leases.owner, ms: this.leases.ms }))) return;
    const log = { jobId: job.id, state: job.state, decision: decision.kind, previousOwner: candidate.leaseOwner };
    if (decision.kind === 'fail') {
      const error: VigilError = decision.reason === 'cut-off' ? new UploadCutOffError() : new SpoolLostError({ jobId: job.id, chunksPublished: job.chunksPublished });
      this.logger.warn({ ...log, code: error.code }, 'unfinished upload job cannot be resumed here; failed');
      await this.repository.update(job.id, { state: 'failed', error: error.toJSON(), finishedAt: new Date() });
      await this.leases.release(job.id);
      await this.spool.remove(this.spool.pathOf(job.id));
      return;
    }
    const plan = await this.planFor(job.id, decision.kind === 'publish' ? file : null, job.chunksTotal ?? 0);
    this.logger.info({ ...log, ...(plan.kind === 'publish' ? { fromChunk: plan.fromSeq } : { chunksTotal: plan.chunksTotal }) }, 'resuming unfinished upload job');
    this.ingest.start({ jobId: job.id, plan, spool: this.spool });
  }

  /** Sending resumes from the chunks ingestion has recorded (what it has not is sent again: msg ids and per-(job, seq) counting dedupe it). */
  private async planFor(jobId: string, file: Awaited<ReturnType<UploadSpool['reopen']>>, chunksTotal: number): Promise<IngestPlan> {
    if (file === null) return { kind: 'await', chunksTotal };
    const { detection, headerLine } = await readUploadFormat(file);
    const confirmed = (await this.tracker.ask(jobId))?.chunks ?? 0;
    return { kind: 'publish', file, detection, headerLine, fromSeq: confirmed };
  }
}
