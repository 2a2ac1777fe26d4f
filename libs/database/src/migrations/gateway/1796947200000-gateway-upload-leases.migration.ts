import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Upload job leases: the gateway replica running a job holds `lease_owner` until
 * `lease_expires_at` (renewed while it runs, released when it stops gracefully), so after a
 * restart exactly one replica resumes an unfinished job, claimed with a conditional UPDATE.
 */
export class GatewayUploadLeases1796947200000 implements MigrationInterface {
  readonly name = 'GatewayUploadLeases1796947200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`ALTER TABLE ${s}.upload_jobs ADD COLUMN lease_owner text, ADD COLUMN lease_expires_at timestamptz`);
    // Every replica looks for unfinished jobs whose lease ran out; finished jobs are most rows and never match.
    await queryRunner.query(`CREATE INDEX upload_jobs_unfinished_idx ON ${s}.upload_jobs (lease_expires_at) WHERE state IN ('receiving', 'ingesting', 'scoring')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`DROP INDEX IF EXISTS ${s}.upload_jobs_unfinished_idx`);
    await queryRunner.query(`ALTER TABLE ${s}.upload_jobs DROP COLUMN IF EXISTS lease_expires_at, DROP COLUMN IF EXISTS lease_owner`);
  }
}
