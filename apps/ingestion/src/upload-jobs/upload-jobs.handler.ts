import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type ChunkProgressEvent, jobErrorsRequestSchema, jobIdRequestSchema, type UploadTopology } from '@vigil/contracts';
import { NatsClient, type ReplyServer, serveRequests } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { type ChunkOutcome, UploadJobsService } from './upload-jobs.service';

export const UPLOAD_TOPOLOGY = Symbol('UPLOAD_TOPOLOGY');

/** NATS adapters of upload jobs: record a job's chunk and announce it; answer job queries. */
@Injectable()
export class UploadJobsHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private servers: ReplyServer[] = [];

  constructor(
    private readonly nats: NatsClient,
    private readonly jobs: UploadJobsService,
    @Inject(UPLOAD_TOPOLOGY) private readonly topology: UploadTopology,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const nc = this.nats.connection;
    this.servers = [
      serveRequests(nc, { subject: this.topology.get, queue: 'ingestion', logger: this.logger, handler: (p) => this.jobs.get(jobIdRequestSchema.parse(p).jobId) }),
      serveRequests(nc, {
        subject: this.topology.errors, queue: 'ingestion', logger: this.logger,
        handler: async (p) => ({ errors: await this.jobs.errors(jobErrorsRequestSchema.parse(p)) }),
      }),
    ];
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const s of this.servers) await s.stop();
  }

  /** Called by the stream door for a chunk that belongs to an upload job (instead of the rejected-rows report). */
  async onJobChunk(outcome: ChunkOutcome): Promise<void> {
    const { job } = await this.jobs.recordChunk(outcome);
    const event: ChunkProgressEvent = { jobId: job.jobId, seq: outcome.seq, chunks: job.chunks, counters: job.counters, contract: job.contract };
    this.nats.connection.publish(this.topology.progress(job.jobId), JSON.stringify(event));
  }
}
