import { Inject, Injectable } from '@nestjs/common';
import { jobErrorsReplySchema, type JobRowError, type UploadTopology } from '@vigil/contracts';
import { NatsClient, request } from '@vigil/messaging';
import { type Writable } from 'node:stream';
import { once } from 'node:events';
import { UPLOAD_TOPOLOGY } from '../config/gateway.config';
import { JobProgressTracker } from './job-progress.tracker';
import { type JobView } from './jobs.schemas';
import { JobNotFoundError } from './uploads.errors';
import { UploadsRepository } from './uploads.repository';

const FIRST_ERRORS = 100;
export const RESULTS_CSV_HEADER = 'flow_id,label,probability,attack_class,class_probability,detector,classifier\n';

/** A job as users see it: the gateway's transfer state joined with ingestion's counters and the read model's predictions. */
@Injectable()
export class JobsService {
  constructor(
    private readonly repository: UploadsRepository,
    private readonly tracker: JobProgressTracker,
    private readonly nats: NatsClient,
    @Inject(UPLOAD_TOPOLOGY) private readonly topology: UploadTopology,
  ) {}

  async view(id: string, duplicate = false): Promise<JobView> {
    const job = await this.repository.get(id);
    if (job === null) throw new JobNotFoundError(id);
    const [ingested, predictions, errors] = await Promise.all([
      this.tracker.ask(id), this.repository.countPredictions(id), this.errors(id, 0, FIRST_ERRORS).catch((): JobRowError[] => []),
    ]);
    const counters = ingested?.counters ?? { rows: 0, accepted: 0, duplicates: 0, rejected: 0 };
    const processed = ingested?.chunks ?? 0;
    const ingestShare = job.chunksTotal ? processed / job.chunksTotal : job.state === 'receiving' ? 0 : Math.min(0.99, processed / Math.max(1, job.chunksPublished + 1));
    // Scoring is detection of every accepted row plus classification of every flagged one.
    const scoreWork = counters.accepted + predictions.threats + predictions.classificationPending;
    const scoreShare = scoreWork > 0 ? Math.min(1, (predictions.flows + predictions.threats) / scoreWork) : 1;
    const done = job.state === 'completed' || job.state === 'failed';
    const seconds = job.receivedAt ? ((job.ingestedAt ?? job.finishedAt ?? new Date()).getTime() - job.receivedAt.getTime()) / 1000 : 0;
    return {
      id: job.id, state: job.state, duplicate, fileName: job.fileName, bytes: job.bytes, sha256: job.sha256, contract: job.contract, variant: job.variant,
      createdAt: job.createdAt.toISOString(), finishedAt: job.finishedAt?.toISOString() ?? null,
      chunks: { total: job.chunksTotal, published: job.chunksPublished, processed },
      rows: { read: counters.rows, accepted: counters.accepted, duplicates: counters.duplicates, rejected: counters.rejected },
      predictions: { flows: predictions.flows, threats: predictions.threats }, classificationPending: predictions.classificationPending, progress: done ? 1 : Math.round((0.5 * ingestShare + 0.5 * (job.state === 'scoring' ? scoreShare : 0)) * 1000) / 1000,
      throughputRowsPerSecond: seconds > 0 ? Math.round(counters.rows / seconds) : null,
      errors, errorsUrl: `/api/v1/jobs/${id}/errors`, resultsUrl: `/api/v1/jobs/${id}/results.csv`, error: job.error,
    };
  }

  async errors(id: string, afterRow: number, limit: number): Promise<JobRowError[]> {
    const reply = await request(this.nats.connection, {
      subject: this.topology.errors, payload: { jobId: id, afterRow, limit }, timeoutMs: 5_000, parse: (d) => jobErrorsReplySchema.parse(d),
    });
    return reply.errors;
  }

  async assertExists(id: string): Promise<void> {
    if ((await this.repository.get(id)) === null) throw new JobNotFoundError(id);
  }

  /** Streams every stored prediction of the job as CSV, page by page, honouring the socket's backpressure. */
  async writeResultsCsv(id: string, out: Writable): Promise<void> {
    if (!out.write(RESULTS_CSV_HEADER)) await once(out, 'drain');
    let after = '0';
    for (;;) {
      const page = await this.repository.predictionsPage(id, after, 5_000);
      if (page.length === 0) break;
      const text = page.map((p) => [
        p.flow_id, p.is_threat ? 'attack' : 'benign', p.probability, csvField(p.attack_class), p.class_probability ?? '', csvField(p.detector), csvField(p.classifier),
      ].join(',')).join('\n');
      if (!out.write(`${text}\n`)) await once(out, 'drain');
      after = page[page.length - 1].seq;
    }
  }
}

function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
