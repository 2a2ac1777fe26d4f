export {
  createDataSource,
  assertSchemaName,
  MIGRATIONS_TABLE,
  type DataSourceOptions,
  type MigrationClass,
} from './data-source/data-source.factory';
export { DatabaseError, InvalidSchemaNameError } from './data-source/database.errors';
export { runMigrations, revertAll, pendingMigrations, type MigrationRunOptions } from './migration-runner/migration-runner';
export { SERVICE_MIGRATIONS, migrationsFor } from './migrations/service-migrations';
export { DatabaseModule, type DatabaseModuleOptions } from './database.module';
