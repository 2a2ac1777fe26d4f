import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { type JobPredictionCounts } from './job-completion.policy';

export type JobState = 'receiving' | 'ingesting' | 'scoring' | 'completed' | 'failed' | 'duplicate';

export interface UploadJobRow {
  id: string;
  sha256: string | null;
  fileName: string | null;
  contentType: string | null;
  bytes: number;
  contract: string | null;
  variant: string | null;
  state: JobState;
  chunksTotal: number | null;
  chunksPublished: number;
  duplicateOf: string | null;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
  createdBy: string | null;
  createdAt: Date;
  receivedAt: Date | null;
  ingestedAt: Date | null;
  finishedAt: Date | null;
}

export interface UploadJobRecord {
  id: string; sha256: string | null; file_name: string | null; content_type: string | null; bytes: string; contract: string | null; variant: string | null;
  state: JobState; chunks_total: number | null; chunks_published: number; duplicate_of: string | null; error: UploadJobRow['error'];
  created_by: string | null; created_at: Date; received_at: Date | null; ingested_at: Date | null; finished_at: Date | null;
}

const COLUMN: Record<string, string> = {
  sha256: 'sha256', bytes: 'bytes', contract: 'contract', variant: 'variant', state: 'state', chunksTotal: 'chunks_total',
  chunksPublished: 'chunks_published', duplicateOf: 'duplicate_of', error: 'error', receivedAt: 'received_at', ingestedAt: 'ingested_at', finishedAt: 'finished_at',
};

/** The gateway's view of upload jobs: transfer, content hash, state. Ingestion keeps the row counters. */
@Injectable()
export class UploadsRepository {
  constructor(private readonly db: DataSource) {}

  /** A new job, leased to the replica that received it from the start (see UploadLeases). */
  async create(args: { id: string; fileName: string | null; contentType: string | null; createdBy: string; lease: { owner: string; ms: number } }): Promise<void> {
    await this.db.query(
      `INSERT INTO upload_jobs (id, file_name, content_type, state, created_by, lease_owner, lease_expires_at)
       VALUES ($1, $2, $3, 'receiving', $4, $5, now() + $6 * interval '1 millisecond')`,
      [args.id, args.fileName, args.contentType, args.createdBy, args.lease.owner, args.lease.ms],
    );
  }

  async get(id: string): Promise<UploadJobRow | null> {
    const rows: UploadJobRecord[] = await this.db.query('SELECT * FROM upload_jobs WHERE id = $1', [id]);
    return rows[0] === undefined ? null : toJob(rows[0]);
  }

  async findLiveBySha(sha256: string): Promise<UploadJobRow | null> {
    const rows: UploadJobRecord[] = await this.db.query(`SELECT * FROM upload_jobs WHERE sha256 = $1 AND state NOT IN ('failed', 'duplicate')`, [sha256]);
    return rows[0] === undefined ? null : toJob(rows[0]);
  }

  async update(id: string, patch: Partial<Omit<UploadJobRow, 'id'>>): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, value] of Object.entries(patch)) {
      params.push(key === 'error' && value !== null ? JSON.stringify(value) : value);
      sets.push(`${COLUMN[key]} = $${params.length}`);
    }
    if (sets.length > 0) await this.db.query(`UPDATE upload_jobs SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** Records the content hash; false when a live job already holds it (the unique index decides, even across replicas). */
  async claimSha(id: string, sha256: string): Promise<boolean> {
    try {
      await this.db.query('UPDATE upload_jobs SET sha256 = $2 WHERE id = $1', [id, sha256]);
      return true;
    } catch (err) {
      if (err instanceof QueryFailedError && (err as QueryFailedError & { code?: string }).code === '23505') return false;
      throw err;
    }
  }

  /** Per-flow counts of the job's predictions: a flagged flow is pending until the classifier's answer sets its class. */
  async countPredictions(jobId: string): Promise<JobPredictionCounts> {
    const rows: { flows: string; threats: string; pending: string }[] = await this.db.query(
      `SELECT count(*) AS flows, count(*) FILTER (WHERE is_threat AND attack_class IS NOT NULL) AS threats,
              count(*) FILTER (WHERE is_threat AND attack_class IS NULL) AS pending
         FROM job_predictions WHERE job_id = $1`, [jobId],
    );
    return { flows: Number(rows[0]?.flows ?? 0), threats: Number(rows[0]?.threats ?? 0), classificationPending: Number(rows[0]?.pending ?? 0) };
  }

  /** A page of a job's predictions in arrival order (keyset on seq), for results.csv. */
  async predictionsPage(jobId: string, afterSeq: string, limit: number): Promise<PredictionExport[]> {
    return this.db.query(
      `SELECT seq::text, flow_id, is_threat, probability, detector, attack_class, class_probability, classifier
         FROM job_predictions WHERE job_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3`,
      [jobId, afterSeq, limit],
    );
  }
}

export interface PredictionExport {
  seq: string; flow_id: string; is_threat: boolean; probability: number; detector: string;
  attack_class: string | null; class_probability: number | null; classifier: string | null;
}

export function toJob(r: UploadJobRecord): UploadJobRow {
  return {
    id: r.id, sha256: r.sha256, fileName: r.file_name, contentType: r.content_type, bytes: Number(r.bytes), contract: r.contract, variant: r.variant,
    state: r.state, chunksTotal: r.chunks_total, chunksPublished: r.chunks_published, duplicateOf: r.duplicate_of, error: r.error,
    createdBy: r.created_by, createdAt: r.created_at, receivedAt: r.received_at, ingestedAt: r.ingested_at, finishedAt: r.finished_at,
  };
}
