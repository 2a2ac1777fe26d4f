import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The gateway's own tables: API keys (hashed), upload jobs as the gateway sees them (spool,
 * content hash, chunk transfer), and the read model it builds from the result streams:
 * alerts, per-minute counters, per-job predictions, and the result batches already counted
 * (so a redelivered batch never counts twice).
 */
export class GatewayReadModel1795996800000 implements MigrationInterface {
  readonly name = 'GatewayReadModel1795996800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`
      CREATE TABLE ${s}.api_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin', 'bouncer')),
        secret_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.upload_jobs (
        id uuid PRIMARY KEY,
        sha256 text,
        file_name text,
        content_type text,
        bytes bigint NOT NULL DEFAULT 0,
        contract text,
        variant text,
        state text NOT NULL CHECK (state IN ('receiving', 'ingesting', 'scoring', 'completed', 'failed', 'duplicate')),
        chunks_total integer,
        chunks_published integer NOT NULL DEFAULT 0,
        duplicate_of uuid,
        error jsonb,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        received_at timestamptz,
        ingested_at timestamptz,
        finished_at timestamptz
      )`);
    // One live job per content: a second upload of the same bytes finds the first.
    await queryRunner.query(`CREATE UNIQUE INDEX upload_jobs_sha256_uq ON ${s}.upload_jobs (sha256) WHERE state NOT IN ('failed', 'duplicate')`);
    await queryRunner.query(`CREATE INDEX upload_jobs_created_at_idx ON ${s}.upload_jobs (created_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.alerts (
        flow_id text PRIMARY KEY,
        at timestamptz NOT NULL,
        contract text NOT NULL,
        sensor text NOT NULL,
        batch_id text NOT NULL,
        job_id uuid,
        src_ip text,
        dst_ip text,
        src_port integer,
        dst_port integer,
        protocol text,
        envelope jsonb NOT NULL,
        attack_class text NOT NULL,
        probability real NOT NULL,
        top jsonb NOT NULL,
        detector_probability real NOT NULL,
        detector text NOT NULL,
        classifier text NOT NULL,
        ingested_at timestamptz NOT NULL,
        detected_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX alerts_at_idx ON ${s}.alerts (at DESC, flow_id DESC)`);
    await queryRunner.query(`CREATE INDEX alerts_class_at_idx ON ${s}.alerts (attack_class, at DESC)`);
    await queryRunner.query(`CREATE INDEX alerts_src_ip_at_idx ON ${s}.alerts (src_ip, at DESC)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.minute_counts (
        minute timestamptz NOT NULL,
        contract text NOT NULL,
        metric text NOT NULL CHECK (metric IN ('flows', 'flagged', 'threats')),
        class text NOT NULL,
        model text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (minute, contract, metric, class, model)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.job_predictions (
        job_id uuid NOT NULL,
        flow_id text NOT NULL,
        seq bigserial,
        contract text NOT NULL,
        is_threat boolean NOT NULL,
        probability real NOT NULL,
        detector text NOT NULL,
        attack_class text,
        class_probability real,
        classifier text,
        PRIMARY KEY (job_id, flow_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.consumed_batches (
        batch_id text NOT NULL,
        stage text NOT NULL CHECK (stage IN ('detect', 'classify')),
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (batch_id, stage)
      )`);
    await queryRunner.query(`CREATE INDEX consumed_batches_at_idx ON ${s}.consumed_batches (at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    for (const t of ['consumed_batches', 'job_predictions', 'minute_counts', 'alerts', 'upload_jobs', 'api_keys']) {
      await queryRunner.query(`DROP TABLE ${s}.${t}`);
    }
  }
}
