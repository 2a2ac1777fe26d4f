import { DEFAULT_DATABASE_URL, serviceSchemaName, type ServiceName } from '@vigil/config';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { randomBytes } from 'node:crypto';
import { startService, type ServiceProcess, type StartServiceOptions } from './service-process';

export interface MigratedService {
  readonly service: ServiceProcess;
  /** DATABASE_SCHEMA_PREFIX the process runs with; its schema is `<prefix><service>`. */
  readonly schemaPrefix: string;
  readonly schema: string;
  /** Kills the process if it still runs and drops its schema. */
  cleanup(): Promise<void>;
}

/**
 * Migrates a fresh schema for `app` (as `vigil migrate` would) and starts the built service
 * against it, so parallel tests never share tables.
 */
export async function startMigratedService(options: StartServiceOptions & { migrate?: boolean }): Promise<MigratedService> {
  const schemaPrefix = `t${randomBytes(4).toString('hex')}_`;
  const schema = serviceSchemaName(options.app, schemaPrefix);
  const url = options.env?.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const dataSource = createDataSource({ url, schema, migrations: migrationsFor(options.app), poolSize: 2 });
  await dataSource.initialize();
  try {
    if (options.migrate ?? true) await runMigrations({ dataSource });
    let service: ServiceProcess;
    try {
      service = await startService({ ...options, env: { DATABASE_SCHEMA_PREFIX: schemaPrefix, ...options.env } });
    } catch (error) {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      throw error;
    }
    return { service, schemaPrefix, schema, cleanup: () => cleanup(service, { url, schema, app: options.app }) };
  } finally {
    await dataSource.destroy();
  }
}

async function cleanup(service: ServiceProcess, target: { url: string; schema: string; app: ServiceName }): Promise<void> {
  await service.stop('SIGKILL');
  const dataSource = createDataSource({ url: target.url, schema: target.schema, poolSize: 1 });
  await dataSource.initialize();
  try {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${target.schema}" CASCADE`);
  } finally {
    await dataSource.destroy();
  }
}
