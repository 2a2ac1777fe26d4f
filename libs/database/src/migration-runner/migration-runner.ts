import { type DataSource } from 'typeorm';

export interface MigrationRunOptions {
  readonly dataSource: DataSource;
}

function schemaName(dataSource: DataSource): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (schema === undefined) throw new Error('the DataSource has no schema; build it with createDataSource');
  return schema;
}

/**
 * Applies every pending migration of the DataSource's schema, each in its own transaction,
 * and returns the names applied (empty when up to date). The schema is created first because
 * the migrations table lives inside it. A per-schema advisory lock makes concurrent runs
 * (a Kubernetes Job and `npm start`) take turns instead of racing.
 */
export async function runMigrations(options: MigrationRunOptions): Promise<string[]> {
  return withConnection(options.dataSource, async (dataSource) => {
    const schema = schemaName(dataSource);
    return withSchemaLock(dataSource, schema, async () => {
      await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${dataSource.driver.escape(schema)}`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    });
  });
}

/** Undoes every applied migration of the schema, newest first; returns the names undone. */
export async function revertAll(options: MigrationRunOptions): Promise<string[]> {
  return withConnection(options.dataSource, async (dataSource) => {
    const schema = schemaName(dataSource);
    return withSchemaLock(dataSource, schema, async () => {
      const reverted: string[] = [];
      for (const name of (await appliedMigrations(dataSource)).reverse()) {
        await dataSource.undoLastMigration({ transaction: 'each' });
        reverted.push(name);
      }
      return reverted;
    });
  });
}

/** Names of migrations the DataSource knows but the schema has not applied yet. */
export async function pendingMigrations(options: MigrationRunOptions): Promise<string[]> {
  return withConnection(options.dataSource, async (dataSource) => {
    const applied = new Set(await appliedMigrations(dataSource));
    return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  });
}

/** Applied migration names, oldest first; empty when the schema or its migrations table is absent. */
async function appliedMigrations(dataSource: DataSource): Promise<string[]> {
  const table = `${dataSource.driver.escape(schemaName(dataSource))}.${dataSource.driver.escape('migrations')}`;
  const exists = (await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS "exists"`, [table])) as { exists: boolean }[];
  if (!exists[0]?.exists) return [];
  const rows = (await dataSource.query(`SELECT name FROM ${table} ORDER BY timestamp, id`)) as { name: string }[];
  return rows.map((row) => row.name);
}

async function withConnection<T>(dataSource: DataSource, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  if (dataSource.isInitialized) return fn(dataSource);
  await dataSource.initialize();
  try {
    return await fn(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function withSchemaLock<T>(dataSource: DataSource, schema: string, fn: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`vigil:migrate:${schema}`]);
    try {
      return await fn();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`vigil:migrate:${schema}`]);
    }
  } finally {
    await runner.release();
  }
}
