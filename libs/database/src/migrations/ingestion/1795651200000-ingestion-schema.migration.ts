import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The ingestion schema and the two tables ingestion owns (ARCHITECTURE.md §1): upload jobs
 * (one per CSV upload, with its row counts and outcome) and the row errors that explain every
 * rejected row. Down drops the tables but leaves the schema, which holds the migrations table.
 */
export class IngestionSchema1795651200000 implements MigrationInterface {
  readonly name = 'IngestionSchema1795651200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.upload_jobs (
        id uuid PRIMARY KEY,
        contract text NOT NULL,
        file_name text,
        status text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
        rows_total integer NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
        rows_accepted integer NOT NULL DEFAULT 0 CHECK (rows_accepted >= 0),
        rows_rejected integer NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX upload_jobs_created_at_idx ON ${schema}.upload_jobs (created_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.upload_row_errors (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES ${schema}.upload_jobs (id) ON DELETE CASCADE,
        row_number integer NOT NULL CHECK (row_number > 0),
        field text,
        code text NOT NULL,
        message text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX upload_row_errors_job_row_idx ON ${schema}.upload_row_errors (job_id, row_number)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`DROP TABLE ${schema}.upload_row_errors`);
    await queryRunner.query(`DROP TABLE ${schema}.upload_jobs`);
  }
}
