import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface UploadSession {
  readonly id: string;
  readonly manifest: unknown;
  readonly sizeBytes: number;
  readonly sha256: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

/** Chunked upload sessions live in Postgres, so any registry replica can take any chunk. */
@Injectable()
export class UploadRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async create(s: UploadSession): Promise<void> {
    await this.ds.query(`INSERT INTO upload_sessions (id, manifest, size_bytes, sha256, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      s.id, JSON.stringify(s.manifest), s.sizeBytes, s.sha256, s.createdBy, s.createdAt,
    ]);
  }

  async find(id: string): Promise<UploadSession | undefined> {
    const rows = (await this.ds.query(
      `SELECT id, manifest, size_bytes AS "sizeBytes", sha256, created_by AS "createdBy", created_at AS "createdAt" FROM upload_sessions WHERE id = $1`,
      [id],
    )) as UploadSession[];
    return rows[0];
  }

  /** A repeated chunk (a client retry) replaces the earlier copy. */
  async putChunk(args: { id: string; index: number; data: Buffer }): Promise<void> {
    await this.ds.query(`INSERT INTO upload_chunks (upload_id, index, data) VALUES ($1, $2, $3) ON CONFLICT (upload_id, index) DO UPDATE SET data = $3`, [args.id, args.index, args.data]);
  }

  async chunks(id: string): Promise<{ index: number; data: Buffer }[]> {
    return (await this.ds.query(`SELECT index, data FROM upload_chunks WHERE upload_id = $1 ORDER BY index`, [id])) as { index: number; data: Buffer }[];
  }

  async delete(id: string): Promise<void> {
    await this.ds.query(`DELETE FROM upload_sessions WHERE id = $1`, [id]);
  }

  async deleteOlderThan(at: Date): Promise<number> {
    const [, count] = (await this.ds.query(`DELETE FROM upload_sessions WHERE created_at < $1`, [at])) as [unknown, number];
    return count;
  }
}
