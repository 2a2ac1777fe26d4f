import { Writable } from 'node:stream';
import { DEFAULT_DATABASE_URL, SERVICE_NAMES, serviceSchemaName } from '@vigil/config';
import { freshSchemaName } from '@vigil/testing';
import { DataSource } from 'typeorm';
import { migrateCommand } from './migrate.command';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => new Writable({ write: (chunk: Buffer, _e, done) => { into.push(chunk.toString()); done(); } });
  return { io: { stdout: sink(out), stderr: sink(err), cwd: process.cwd(), env }, out: () => out.join(''), err: () => err.join('') };
}

const admin = new DataSource({ type: 'postgres', url: DEFAULT_DATABASE_URL });
const prefix = `${freshSchemaName('cli')}_`;
const schemas = SERVICE_NAMES.map((service) => serviceSchemaName(service, prefix));

async function migrationCount(schema: string): Promise<number> {
  const rows = (await admin.query(`SELECT count(*)::int AS n FROM "${schema}".migrations`)) as { n: number }[];
  return rows[0].n;
}

beforeAll(() => admin.initialize());
afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.destroy();
});

describe('vigil migrate', () => {
  it('migrates every service once, is a no-op the second time, and reverts one service on request', async () => {
    const first = io({ DATABASE_SCHEMA_PREFIX: prefix });
    expect(await migrateCommand.run([], first.io)).toBe(0);
    for (const service of SERVICE_NAMES) expect(first.out()).toMatch(new RegExp(`^${service} +schema ${prefix}\\w+: applied \\w+`, 'm'));
    for (const schema of schemas) expect(await migrationCount(schema)).toBeGreaterThan(0);

    const second = io();
    expect(await migrateCommand.run(['--schema-prefix', prefix, '--database-url', DEFAULT_DATABASE_URL], second.io)).toBe(0);
    expect(second.out().trim().split('\n')).toHaveLength(SERVICE_NAMES.length);
    expect(second.out()).not.toContain('applied');
    expect(second.out().match(/up to date/g)).toHaveLength(SERVICE_NAMES.length);

    const revert = io({ DATABASE_SCHEMA_PREFIX: prefix });
    expect(await migrateCommand.run(['--service', 'ingestion', '--revert'], revert.io)).toBe(0);
    expect(revert.out()).toMatch(/^ingestion +schema \w+: reverted .*IngestionSchema\d+/);
    expect(await migrationCount(serviceSchemaName('ingestion', prefix))).toBe(0);
    expect(await migrationCount(serviceSchemaName('detection', prefix))).toBeGreaterThan(0);
  });

  it('refuses to revert without naming the service, and unknown services', async () => {
    await expect(migrateCommand.run(['--revert'], io().io)).rejects.toThrow('--revert needs --service');
    await expect(migrateCommand.run(['--service', 'nope'], io().io)).rejects.toThrow('unknown service "nope"');
  });

  it('names the service and schema when the database is unreachable', async () => {
    const run = migrateCommand.run(['--service', 'gateway', '--database-url', 'postgres://postgres@127.0.0.1:1/test', '--schema-prefix', prefix], io().io);
    await expect(run).rejects.toMatchObject({ code: 'MIGRATE.FAILED', details: { service: 'gateway', schema: `${prefix}gateway` } });
  });

  it('rejects a bad database URL from the environment with a config error', async () => {
    await expect(migrateCommand.run([], io({ DATABASE_URL: 'mysql://x' }).io)).rejects.toMatchObject({ code: 'CONFIG.INVALID' });
  });
});
