import { DataSource, type MigrationInterface } from 'typeorm';
import { InvalidSchemaNameError } from './database.errors';

/** A TypeORM migration class: `up` and `down`, named `<Name><13-digit timestamp>`. */
export type MigrationClass = new () => MigrationInterface;

export interface DataSourceOptions {
  readonly url: string;
  /** The Postgres schema the service owns; its tables and its migrations table live there. */
  readonly schema: string;
  readonly migrations?: readonly MigrationClass[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity list type
  readonly entities?: readonly Function[];
  /** Shown in pg_stat_activity, so a DBA can tell services apart. */
  readonly applicationName?: string;
  readonly poolSize?: number;
}

export const MIGRATIONS_TABLE = 'migrations';

const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!schemaPattern.test(schema)) throw new InvalidSchemaNameError(schema);
}

/**
 * A DataSource bound to one service schema: unqualified names resolve there (search_path),
 * the migrations table lives there, and nothing is synchronised from entities.
 * Not initialised: the caller decides when to connect.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  assertSchemaName(options.schema);
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    synchronize: false,
    migrationsRun: false,
    migrations: [...(options.migrations ?? [])],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    entities: [...(options.entities ?? [])],
    applicationName: options.applicationName,
    logging: false,
    extra: { max: options.poolSize ?? 5, options: `-c search_path=${options.schema},public` },
  });
}
