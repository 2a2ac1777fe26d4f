import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Where each CrowdSec bouncer (one API key) stands in the decision stream: the cursor
 * self-healing returned on its last `/v1/decisions/stream` poll, so the next poll without
 * `startup` answers only what changed since, as CrowdSec's Local API does per bouncer.
 */
export class GatewayBouncerCursors1796256000000 implements MigrationInterface {
  readonly name = 'GatewayBouncerCursors1796256000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`
      CREATE TABLE ${s}.bouncer_cursors (
        key_id text PRIMARY KEY,
        cursor timestamptz NOT NULL,
        last_pull_at timestamptz NOT NULL DEFAULT now(),
        user_agent text
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`DROP TABLE IF EXISTS ${s}.bouncer_cursors`);
  }
}
