import { Writable } from 'node:stream';
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { parseApiKey, secretMatches } from '@vigil/contracts';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { freshSchemaName } from '@vigil/testing';
import { keysCommand } from './keys.command';

function io(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => new Writable({ write: (chunk: Buffer, _e, done) => { into.push(chunk.toString()); done(); } });
  return { io: { stdout: sink(out), stderr: sink(err), cwd: process.cwd(), env }, out: () => out.join(''), err: () => err.join('') };
}

const prefix = `${freshSchemaName('keys')}_`;
const db = createDataSource({ url: DEFAULT_DATABASE_URL, schema: serviceSchemaName('gateway', prefix), migrations: migrationsFor('gateway'), poolSize: 2 });

beforeAll(async () => {
  await db.initialize();
  await runMigrations({ dataSource: db });
});
afterAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS "${serviceSchemaName('gateway', prefix)}" CASCADE`);
  await db.destroy();
});

describe('vigil keys', () => {
  const env = { DATABASE_SCHEMA_PREFIX: prefix };

  it('creates a key printed once and stored only as a hash, lists it, and revokes it', async () => {
    const created = io(env);
    expect(await keysCommand.run(['create', '--role', 'admin', '--name', 'first-admin'], created.io)).toBe(0);
    const key = created.out().trim();
    const parsed = parseApiKey(key);
    expect(parsed).not.toBeNull();
    const rows: { id: string; role: string; name: string; secret_hash: Buffer }[] = await db.query('SELECT id, role, name, secret_hash FROM api_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: parsed?.id, role: 'admin', name: 'first-admin' });
    expect(rows[0].secret_hash.toString('latin1')).not.toContain(parsed?.secret as string);
    expect(secretMatches(parsed?.secret as string, rows[0].secret_hash)).toBe(true);

    const listed = io(env);
    expect(await keysCommand.run(['list'], listed.io)).toBe(0);
    expect(listed.out()).toMatch(new RegExp(`^${parsed?.id}\\tadmin\\tfirst-admin\\t`, 'm'));
    expect(listed.out()).not.toContain(parsed?.secret as string);

    expect(await keysCommand.run(['revoke', parsed?.id as string], io(env).io)).toBe(0);
    const again = io(env);
    expect(await keysCommand.run(['revoke', parsed?.id as string], again.io)).toBe(1);
    expect(again.err()).toContain('no active key');
  });

  it('refuses an unknown role and a missing sub-command as usage errors', async () => {
    await expect(keysCommand.run(['create', '--role', 'root'], io(env).io)).rejects.toThrow(/--role must be one of viewer, operator, admin, bouncer/);
    await expect(keysCommand.run([], io(env).io)).rejects.toThrow(/name a sub-command/);
  });
});
