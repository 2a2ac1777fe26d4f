import { Injectable } from '@nestjs/common';
import { type ContractId, type IngestionJob, type JobRowError, type RowError } from '@vigil/contracts';
import { UploadJobNotFoundError } from './upload-jobs.errors';
import { UploadJobsRepository } from './upload-jobs.repository';

export interface ChunkOutcome {
  jobId: string;
  seq: number;
  rowOffset: number;
  contract: ContractId;
  fileName: string | null;
  report: { rows: number; accepted: number; duplicates: number; rejected: number; errors: readonly RowError[] };
}

/** Upload jobs as ingestion sees them: per-chunk counters and row errors, in file line numbers. */
@Injectable()
export class UploadJobsService {
  constructor(private readonly repository: UploadJobsRepository) {}

  async recordChunk(outcome: ChunkOutcome): Promise<{ applied: boolean; job: IngestionJob }> {
    const { report } = outcome;
    return this.repository.recordChunk({
      jobId: outcome.jobId, seq: outcome.seq, contract: outcome.contract, fileName: outcome.fileName,
      counters: { rows: report.rows, accepted: report.accepted, duplicates: report.duplicates, rejected: report.rejected },
      errors: report.errors.map((e) => ({ ...e, row: e.row + outcome.rowOffset })),
    });
  }

  async get(jobId: string): Promise<IngestionJob> {
    const job = await this.repository.get(jobId);
    if (job === null) throw new UploadJobNotFoundError(jobId);
    return job;
  }

  errors(args: { jobId: string; afterRow: number; limit: number }): Promise<JobRowError[]> {
    return this.repository.errors(args);
  }
}
