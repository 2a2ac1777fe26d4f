import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Creates the gateway schema. The runner has usually created it already (its migrations table
 * lives there); this keeps the schema in the history. Down leaves the schema: the migrations
 * table that records this very undo lives in it.
 */
export class GatewaySchema1795651200000 implements MigrationInterface {
  readonly name = 'GatewaySchema1795651200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = queryRunner.connection.driver.escape(queryRunner.connection.driver.schema ?? 'public');
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  }

  async down(): Promise<void> {
    // Nothing to undo inside the schema; see above for why the schema itself stays.
  }
}
