import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Models, their immutable versions (ONNX bytes + manifest + sha256), aliases with their audited
 * moves, and chunked upload sessions (in Postgres, so chunks may reach any registry replica).
 * `models.latest_version` is the per-model counter: bumping it under the row lock numbers
 * concurrent uploads without gaps or duplicates. A trigger refuses any UPDATE of a version.
 */
export class ModelRegistryVersions1795824000000 implements MigrationInterface {
  readonly name = 'ModelRegistryVersions1795824000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`
      CREATE TABLE ${s}."models" (
        "name" text PRIMARY KEY,
        "task" text NOT NULL CHECK ("task" IN ('detect', 'classify')),
        "contract_id" text NOT NULL,
        "contract_version" integer NOT NULL,
        "latest_version" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."model_versions" (
        "model_name" text NOT NULL REFERENCES ${s}."models" ("name"),
        "version" integer NOT NULL CHECK ("version" > 0),
        "sha256" char(64) NOT NULL,
        "size_bytes" integer NOT NULL CHECK ("size_bytes" > 0),
        "manifest" jsonb NOT NULL,
        "artifact" bytea NOT NULL,
        "source" text NOT NULL CHECK ("source" IN ('upload', 'import')),
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        PRIMARY KEY ("model_name", "version")
      )`);
    await queryRunner.query(`CREATE INDEX "model_versions_sha" ON ${s}."model_versions" ("model_name", "sha256")`);
    await queryRunner.query(`
      CREATE FUNCTION ${s}."model_versions_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'model versions are immutable'; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "model_versions_no_update" BEFORE UPDATE ON ${s}."model_versions"
      FOR EACH ROW EXECUTE FUNCTION ${s}."model_versions_immutable"()`);
    await queryRunner.query(`
      CREATE TABLE ${s}."model_aliases" (
        "model_name" text NOT NULL REFERENCES ${s}."models" ("name"),
        "alias" text NOT NULL CHECK ("alias" IN ('production', 'canary', 'shadow')),
        "version" integer NOT NULL,
        "canary_share" double precision,
        "updated_at" timestamptz NOT NULL,
        "updated_by" text NOT NULL,
        PRIMARY KEY ("model_name", "alias"),
        FOREIGN KEY ("model_name", "version") REFERENCES ${s}."model_versions" ("model_name", "version")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."alias_events" (
        "id" bigserial PRIMARY KEY,
        "model_name" text NOT NULL REFERENCES ${s}."models" ("name"),
        "alias" text NOT NULL,
        "from_version" integer,
        "to_version" integer,
        "canary_share" double precision,
        "kind" text NOT NULL CHECK ("kind" IN ('move', 'rollback', 'import')),
        "actor" text NOT NULL,
        "reason" text NOT NULL,
        "at" timestamptz NOT NULL,
        "published_at" timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX "alias_events_model" ON ${s}."alias_events" ("model_name", "alias", "id")`);
    await queryRunner.query(`CREATE INDEX "alias_events_unpublished" ON ${s}."alias_events" ("id") WHERE "published_at" IS NULL`);
    await queryRunner.query(`
      CREATE TABLE ${s}."upload_sessions" (
        "id" uuid PRIMARY KEY,
        "manifest" jsonb NOT NULL,
        "size_bytes" integer NOT NULL,
        "sha256" char(64),
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."upload_chunks" (
        "upload_id" uuid NOT NULL REFERENCES ${s}."upload_sessions" ("id") ON DELETE CASCADE,
        "index" integer NOT NULL,
        "data" bytea NOT NULL,
        PRIMARY KEY ("upload_id", "index")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    for (const table of ['upload_chunks', 'upload_sessions', 'alias_events', 'model_aliases', 'model_versions', 'models']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${s}."${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${s}."model_versions_immutable"()`);
  }
}
