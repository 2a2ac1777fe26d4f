import { randomBytes } from 'node:crypto';
import { SERVICE_NAMES, DEFAULT_DATABASE_URL } from '@vigil/config';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source/data-source.factory';
import { pendingMigrations, revertAll, runMigrations } from './migration-runner/migration-runner';
import { migrationsFor } from './migrations/service-migrations';

const url = DEFAULT_DATABASE_URL;
// Platform libs may not depend on @vigil/testing (module boundaries), hence a local fresh name.
const freshSchemaName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;
const admin = new DataSource({ type: 'postgres', url });
const created: string[] = [];

async function tablesIn(schema: string): Promise<string[]> {
  const rows = (await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema])) as {
    table_name: string;
  }[];
  return rows.map((row) => row.table_name);
}

beforeAll(() => admin.initialize());
afterAll(async () => {
  for (const schema of created) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.destroy();
});

describe.each(SERVICE_NAMES)('%s migrations', (service) => {
  it('go up, down, and up again on a fresh schema, keeping their history inside it', async () => {
    const schema = freshSchemaName(`mig_${service.replace('-', '_')}`);
    created.push(schema);
    const dataSource = createDataSource({ url, schema, migrations: migrationsFor(service) });
    const names = migrationsFor(service).map((m) => new m().name);

    expect(await pendingMigrations({ dataSource })).toEqual(names);
    expect(await runMigrations({ dataSource })).toEqual(names);
    const tablesAfterUp = await tablesIn(schema);
    expect(tablesAfterUp).toContain('migrations');
    expect(await runMigrations({ dataSource })).toEqual([]);
    expect(await pendingMigrations({ dataSource })).toEqual([]);

    expect(await revertAll({ dataSource })).toEqual([...names].reverse());
    expect(await tablesIn(schema)).toEqual(['migrations']);
    expect(await pendingMigrations({ dataSource })).toEqual(names);

    expect(await runMigrations({ dataSource })).toEqual(names);
    expect(await tablesIn(schema)).toEqual(tablesAfterUp);
  });
});

describe('a service DataSource', () => {
  it('resolves unqualified table names in its own schema', async () => {
    const schema = freshSchemaName('mig_search_path');
    created.push(schema);
    const dataSource = createDataSource({ url, schema, migrations: migrationsFor('ingestion') });
    await runMigrations({ dataSource });
    await dataSource.initialize();
    try {
      await dataSource.query(`INSERT INTO upload_jobs (id, contract, status) VALUES (gen_random_uuid(), 'nsl-kdd', 'pending')`);
      const rows = (await admin.query(`SELECT contract FROM "${schema}".upload_jobs`)) as { contract: string }[];
      expect(rows).toEqual([{ contract: 'nsl-kdd' }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('refuses a schema name that would need quoting', () => {
    expect(() => createDataSource({ url, schema: 'x; drop table y' })).toThrow(expect.objectContaining({ code: 'DATABASE.INVALID_SCHEMA_NAME' }));
  });
});
