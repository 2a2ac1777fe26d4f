import { Injectable } from '@nestjs/common';
import { type IngestionJob, type JobRowError, MAX_STORED_ROW_ERRORS, type UploadCounters } from '@vigil/contracts';
import { type RowError } from '@vigil/contracts';
import { DataSource } from 'typeorm';

export interface ChunkRecord {
  jobId: string;
  seq: number;
  contract: string;
  fileName: string | null;
  counters: UploadCounters;
  errors: readonly RowError[];
}

interface JobRow {
  id: string; contract: string; chunks: number; rows_total: number; rows_accepted: number; rows_duplicate: number; rows_rejected: number; errors_stored: number;
}

/** upload_jobs / upload_chunks / upload_row_errors: a chunk counts once per (job, seq). */
@Injectable()
export class UploadJobsRepository {
  constructor(private readonly db: DataSource) {}

  /** The job after this chunk; `applied` is false when the chunk had been recorded already. */
  recordChunk(chunk: ChunkRecord): Promise<{ applied: boolean; job: IngestionJob }> {
    return this.db.transaction(async (tx) => {
      // Creates or locks the job row first: chunks of one job, recorded concurrently, take their
      // locks in one order (job, then chunk) and so queue instead of deadlocking.
      await tx.query(
        `INSERT INTO upload_jobs (id, contract, file_name, status, started_at) VALUES ($1, $2, $3, 'running', now())
         ON CONFLICT (id) DO UPDATE SET file_name = COALESCE(upload_jobs.file_name, EXCLUDED.file_name)`,
        [chunk.jobId, chunk.contract, chunk.fileName],
      );
      const c = chunk.counters;
      const claimed: unknown[] = await tx.query(
        `INSERT INTO upload_chunks (job_id, seq, rows, accepted, duplicates, rejected) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING RETURNING seq`,
        [chunk.jobId, chunk.seq, c.rows, c.accepted, c.duplicates, c.rejected],
      );
      if (claimed.length > 0) {
        const locked: JobRow[] = await tx.query('SELECT errors_stored FROM upload_jobs WHERE id = $1 FOR UPDATE', [chunk.jobId]);
        const room = Math.max(0, MAX_STORED_ROW_ERRORS - (locked[0]?.errors_stored ?? 0));
        const errors = chunk.errors.slice(0, room);
        if (errors.length > 0) {
          await tx.query(
            `INSERT INTO upload_row_errors (job_id, row_number, field, code, message)
               SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
            [chunk.jobId, errors.map((e) => e.row), errors.map((e) => e.field ?? null), errors.map((e) => e.code), errors.map((e) => e.reason)],
          );
        }
        await tx.query(
          `UPDATE upload_jobs SET chunks = chunks + 1, rows_total = rows_total + $2, rows_accepted = rows_accepted + $3,
             rows_duplicate = rows_duplicate + $4, rows_rejected = rows_rejected + $5, errors_stored = errors_stored + $6 WHERE id = $1`,
          [chunk.jobId, c.rows, c.accepted, c.duplicates, c.rejected, errors.length],
        );
      }
      const rows: JobRow[] = await tx.query('SELECT * FROM upload_jobs WHERE id = $1', [chunk.jobId]);
      return { applied: claimed.length > 0, job: toJob(rows[0]) };
    });
  }

  async get(jobId: string): Promise<IngestionJob | null> {
    const rows: JobRow[] = await this.db.query('SELECT * FROM upload_jobs WHERE id = $1', [jobId]);
    return rows[0] === undefined ? null : toJob(rows[0]);
  }

  async errors(args: { jobId: string; afterRow: number; limit: number }): Promise<JobRowError[]> {
    const rows: { row_number: number; field: string | null; code: string; message: string }[] = await this.db.query(
      `SELECT row_number, field, code, message FROM upload_row_errors WHERE job_id = $1 AND row_number > $2 ORDER BY row_number, id LIMIT $3`,
      [args.jobId, args.afterRow, args.limit],
    );
    return rows.map((r) => ({ row: r.row_number, field: r.field, code: r.code, reason: r.message }));
  }
}

function toJob(r: JobRow): IngestionJob {
  return {
    jobId: r.id, contract: r.contract, chunks: r.chunks, storedErrors: r.errors_stored,
    counters: { rows: r.rows_total, accepted: r.rows_accepted, duplicates: r.rows_duplicate, rejected: r.rows_rejected },
  };
}
