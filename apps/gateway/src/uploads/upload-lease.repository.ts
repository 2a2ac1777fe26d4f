import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toJob, type UploadJobRecord, type UploadJobRow } from './uploads.repository';

const UNFINISHED = `state IN ('receiving', 'ingesting', 'scoring')`;
const UNLEASED = `(lease_expires_at IS NULL OR lease_expires_at < now())`;

export interface UnleasedJob {
  job: UploadJobRow;
  leaseOwner: string | null;
  /** Since when the lease ran out, by Postgres' clock (Infinity when the job never had one). */
  expiredForMs: number;
}

/**
 * Leases on upload jobs, timed by Postgres' clock (replicas' clocks may differ): exactly one
 * replica runs an unfinished job; claims are conditional UPDATEs, so two replicas racing for the
 * same job cannot both win.
 */
@Injectable()
export class UploadLeaseRepository {
  constructor(private readonly db: DataSource) {}

  /** Unfinished jobs nobody holds, oldest first. */
  async unleased(limit: number): Promise<UnleasedJob[]> {
    const rows: (UploadJobRecord & { lease_owner: string | null; expired_for_ms: string | null })[] = await this.db.query(
      `SELECT *, (extract(epoch FROM now() - lease_expires_at) * 1000)::bigint AS expired_for_ms
         FROM upload_jobs WHERE ${UNFINISHED} AND ${UNLEASED} ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ job: toJob(r), leaseOwner: r.lease_owner, expiredForMs: r.expired_for_ms === null ? Infinity : Number(r.expired_for_ms) }));
  }

  /** Takes an unfinished, unleased job for `owner`; false when another replica got there first or it finished. */
  async claim(args: { id: string; owner: string; ms: number }): Promise<boolean> {
    // A CTE so the rows come back as a SELECT's (TypeORM answers a bare UPDATE with [rows, count]).
    const rows: unknown[] = await this.db.query(
      `WITH claimed AS (UPDATE upload_jobs SET lease_owner = $2, lease_expires_at = now() + $3 * interval '1 millisecond'
        WHERE id = $1 AND ${UNFINISHED} AND ${UNLEASED} RETURNING id) SELECT id FROM claimed`,
      [args.id, args.owner, args.ms],
    );
    return rows.length > 0;
  }

  /** Extends `owner`'s leases on `ids`; the ids it still holds (a missing one was taken over). */
  async renew(args: { ids: readonly string[]; owner: string; ms: number }): Promise<Set<string>> {
    if (args.ids.length === 0) return new Set();
    const rows: { id: string }[] = await this.db.query(
      `WITH renewed AS (UPDATE upload_jobs SET lease_expires_at = now() + $3 * interval '1 millisecond'
        WHERE id = ANY($1::uuid[]) AND lease_owner = $2 RETURNING id) SELECT id FROM renewed`,
      [args.ids, args.owner, args.ms],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Lets another replica take the job at once (a graceful stop). */
  async release(args: { id: string; owner: string }): Promise<void> {
    await this.db.query(`UPDATE upload_jobs SET lease_expires_at = now() WHERE id = $1 AND lease_owner = $2`, [args.id, args.owner]);
  }
}
