import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What an alert's detail shows besides the models' answers: the explanation the classifier
 * sent with the threat (`alerts.explanation`), and the flagged flow's feature values as the
 * detector saw them (`flow_features`, one packed little-endian float32 row per flagged flow,
 * written from the detection stream, which carries them; joined to the alert by flow id).
 */
export class GatewayAlertEvidence1796860800000 implements MigrationInterface {
  readonly name = 'GatewayAlertEvidence1796860800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`ALTER TABLE ${s}.alerts ADD COLUMN explanation jsonb`);
    await queryRunner.query(`
      CREATE TABLE ${s}.flow_features (
        flow_id text PRIMARY KEY,
        at timestamptz NOT NULL,
        contract text NOT NULL,
        contract_version int NOT NULL,
        features bytea NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX flow_features_at_idx ON ${s}.flow_features (at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`DROP TABLE IF EXISTS ${s}.flow_features`);
    await queryRunner.query(`ALTER TABLE ${s}.alerts DROP COLUMN IF EXISTS explanation`);
  }
}
