import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Durable evidence: one row per threat flow that counts toward a policy's evidence threshold.
 * The flow id is the key, so a redelivered threat batch counts once and replicas share one
 * count; the (source, policy, time) index answers the windowed count, and the BRIN index on
 * time keeps pruning cheap on an append-mostly table.
 */
export class SelfHealingEvidence1796169600000 implements MigrationInterface {
  readonly name = 'SelfHealingEvidence1796169600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`
      CREATE TABLE ${s}."evidence" (
        "flow_id" text PRIMARY KEY,
        "source" text NOT NULL,
        "policy_key" text NOT NULL,
        "contract" text NOT NULL,
        "attack_class" text NOT NULL,
        "confidence" real NOT NULL,
        "seen_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "evidence_source_policy_seen" ON ${s}."evidence" ("source", "policy_key", "seen_at")`);
    await queryRunner.query(`CREATE INDEX "evidence_seen_brin" ON ${s}."evidence" USING brin ("seen_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`DROP TABLE IF EXISTS ${s}."evidence"`);
  }
}
