import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Decisions with their audit trail, policies, the stored allowlist and service settings.
 * Simulation mode starts ON: a fresh install records what it would do until an operator
 * switches it off. One open decision per value is enforced by a partial unique index, so
 * duplicate evidence (even from two replicas at once) extends instead of duplicating.
 */
export class SelfHealingDecisions1795737600000 implements MigrationInterface {
  readonly name = 'SelfHealingDecisions1795737600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`
      CREATE TABLE ${s}."decisions" (
        "id" uuid PRIMARY KEY,
        "version" integer NOT NULL DEFAULT 1,
        "scope" text NOT NULL CHECK ("scope" IN ('ip', 'range', 'pod')),
        "value" text NOT NULL,
        "action" text NOT NULL CHECK ("action" IN ('ban', 'throttle', 'isolate', 'alert')),
        "origin" text NOT NULL CHECK ("origin" IN ('auto', 'manual', 'api')),
        "status" text NOT NULL CHECK ("status" IN ('simulated', 'pending-approval', 'active', 'expired', 'revoked', 'failed')),
        "reason" jsonb NOT NULL,
        "duration_seconds" integer NOT NULL CHECK ("duration_seconds" > 0),
        "escalation_level" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "flow_ids" jsonb NOT NULL DEFAULT '[]',
        "alert_ids" jsonb NOT NULL DEFAULT '[]',
        "last_error" text
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "decisions_one_open_per_value" ON ${s}."decisions" ("value")
       WHERE "status" IN ('simulated', 'pending-approval', 'active', 'failed')`,
    );
    await queryRunner.query(`CREATE INDEX "decisions_status_expires" ON ${s}."decisions" ("status", "expires_at")`);
    await queryRunner.query(`CREATE INDEX "decisions_value_created" ON ${s}."decisions" ("value", "created_at")`);
    await queryRunner.query(`CREATE INDEX "decisions_updated" ON ${s}."decisions" ("updated_at")`);
    await queryRunner.query(`
      CREATE TABLE ${s}."decision_audit" (
        "id" bigserial PRIMARY KEY,
        "decision_id" uuid NOT NULL REFERENCES ${s}."decisions" ("id") ON DELETE CASCADE,
        "at" timestamptz NOT NULL,
        "from_status" text,
        "to_status" text NOT NULL,
        "actor" text NOT NULL,
        "reason" text NOT NULL,
        "details" jsonb
      )`);
    await queryRunner.query(`CREATE INDEX "decision_audit_decision" ON ${s}."decision_audit" ("decision_id", "id")`);
    await queryRunner.query(`
      CREATE TABLE ${s}."policies" (
        "contract" text NOT NULL,
        "attack_class" text NOT NULL,
        "body" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "updated_by" text NOT NULL,
        PRIMARY KEY ("contract", "attack_class")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."allowlist" (
        "cidr" text PRIMARY KEY,
        "note" text NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL,
        "created_by" text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."settings" (
        "key" text PRIMARY KEY,
        "value" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "updated_by" text NOT NULL
      )`);
    await queryRunner.query(
      `INSERT INTO ${s}."settings" ("key", "value", "updated_at", "updated_by")
       VALUES ('simulation', '{"enabled": true, "reason": "fresh install"}', now(), 'install')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    for (const table of ['settings', 'allowlist', 'policies', 'decision_audit', 'decisions']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${s}."${table}"`);
    }
  }
}
