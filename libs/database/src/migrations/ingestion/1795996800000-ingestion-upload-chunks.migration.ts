import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Upload chunks: one row per (job, chunk) processed, so a redelivered chunk never counts twice
 * in its job's totals, and the duplicate count the job rows lacked.
 */
export class IngestionUploadChunks1795996800000 implements MigrationInterface {
  readonly name = 'IngestionUploadChunks1795996800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`ALTER TABLE ${s}.upload_jobs ADD COLUMN rows_duplicate integer NOT NULL DEFAULT 0 CHECK (rows_duplicate >= 0)`);
    await queryRunner.query(`ALTER TABLE ${s}.upload_jobs ADD COLUMN chunks integer NOT NULL DEFAULT 0 CHECK (chunks >= 0)`);
    await queryRunner.query(`ALTER TABLE ${s}.upload_jobs ADD COLUMN errors_stored integer NOT NULL DEFAULT 0 CHECK (errors_stored >= 0)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.upload_chunks (
        job_id uuid NOT NULL REFERENCES ${s}.upload_jobs (id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq >= 0),
        rows integer NOT NULL,
        accepted integer NOT NULL,
        duplicates integer NOT NULL,
        rejected integer NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, seq)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`DROP TABLE ${s}.upload_chunks`);
    await queryRunner.query(`ALTER TABLE ${s}.upload_jobs DROP COLUMN errors_stored, DROP COLUMN chunks, DROP COLUMN rows_duplicate`);
  }
}
