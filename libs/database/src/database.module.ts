import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessRegistry } from '@vigil/observability';
import { DataSource } from 'typeorm';
import { createDataSource, type DataSourceOptions } from './data-source/data-source.factory';
import { pendingMigrations } from './migration-runner/migration-runner';

const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

export type DatabaseModuleOptions = Pick<DataSourceOptions, 'url' | 'schema' | 'migrations' | 'entities' | 'applicationName' | 'poolSize'>;

/** Closes the pool after the transports have drained (onApplicationShutdown runs after them). */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

async function connect(options: DatabaseModuleOptions, readiness: ReadinessRegistry): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  readiness.register('postgres', async () => {
    await dataSource.query('SELECT 1');
  });
  // Services never migrate at boot (rule 7); they stay unready until `vigil migrate` has run.
  let upToDate = false;
  readiness.register('migrations', async () => {
    if (upToDate) return;
    const pending = await pendingMigrations({ dataSource });
    if (pending.length > 0) throw new Error(`pending migrations in schema ${options.schema}: ${pending.join(', ')}; run \`vigil migrate\``);
    upToDate = true;
  });
  return dataSource;
}

/**
 * Global: the service's TypeORM DataSource (inject `DataSource`), connected at boot to its own
 * schema, with `postgres` (select 1) and `migrations` (none pending) readiness checks.
 */
@Module({})
export class DatabaseModule {
  static forService(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        { provide: DataSource, useFactory: connect, inject: [DATABASE_OPTIONS, ReadinessRegistry] },
        DatabaseLifecycle,
      ],
      exports: [DataSource],
    };
  }
}
